// Typed indices into the profile's tables, so a ThreadId can never be passed where a StackId
// is meant. An id is the position of the element in its table; kInvalid marks "none".
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace hprof {

template <class Tag> struct TypedId {
    static constexpr uint32_t kInvalid = UINT32_MAX;
    uint32_t value = kInvalid;

    constexpr TypedId() = default;
    constexpr explicit TypedId(uint32_t v) : value(v) {}
    constexpr bool valid() const { return value != kInvalid; }
    constexpr auto operator<=>(const TypedId&) const = default;
};

using ProcessId = TypedId<struct ProcessTag>;
using ThreadId = TypedId<struct ThreadTag>;
using ModuleId = TypedId<struct ModuleTag>;
using FunctionId = TypedId<struct FunctionTag>;
using FrameId = TypedId<struct FrameTag>;
using StackId = TypedId<struct StackTag>;

} // namespace hprof

template <class Tag> struct std::hash<hprof::TypedId<Tag>> {
    size_t operator()(hprof::TypedId<Tag> id) const noexcept {
        return std::hash<uint32_t>{}(id.value);
    }
};

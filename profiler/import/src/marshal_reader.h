// Python's marshal format (what cProfile's and pstats' dump_stats write), read into a tree of
// plain values. Only the types a pstats file can hold are accepted; anything else (code objects,
// complex numbers) is an error, as is a file that ends early or nests too deep.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

struct MarshalValue;
using MarshalPointer = std::shared_ptr<const MarshalValue>;

struct MarshalValue {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Set };
    Kind kind = Kind::None;
    int64_t integer = 0; // Int, Bool
    double number = 0;   // Float
    std::string text;    // String (str and bytes alike)
    // Tuple, List, Set: the elements. Dict: keys and values alternating.
    std::vector<MarshalPointer> items;

    bool isNumber() const { return kind == Kind::Int || kind == Kind::Float; }
    double asDouble() const { return kind == Kind::Int ? double(integer) : number; }
};

// Reads one object that fills all of `bytes`. Throws hprof::Error (without a path) on anything
// that is not well-formed marshal data.
MarshalPointer readMarshal(std::string_view bytes);

} // namespace hprof

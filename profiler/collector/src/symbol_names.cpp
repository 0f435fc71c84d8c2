#include "symbol_names.h"

#include <cctype>
#include <cstdlib>
#include <cxxabi.h>
#include <memory>

namespace hprof {
namespace {

std::string demangled(const std::string& name) {
    if (!name.starts_with("_Z"))
        return name;
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> text(
        abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), &std::free);
    return text ? std::string(text.get()) : name;
}

// GCC names the function that runs a unit's static constructors (destructors) after the first
// function or variable of the unit, or after the file name when there is none.
std::string staticInitializerName(std::string_view kind, std::string_view suffix,
                                  std::string_view unit_file) {
    if (!unit_file.empty()) {
        const size_t slash = unit_file.rfind('/');
        return std::string(kind) + " of " +
               std::string(slash == std::string_view::npos ? unit_file
                                                           : unit_file.substr(slash + 1));
    }
    return std::string(kind) + " (with " + demangled(std::string(suffix)) + ")";
}

bool isCIdentifier(std::string_view text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front())))
        return false;
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            return false;
    return true;
}

} // namespace

std::string readableName(std::string_view symbol, std::string_view unit_file) {
    constexpr std::string_view kInitializers = "_GLOBAL__sub_I_";
    constexpr std::string_view kDestructors = "_GLOBAL__sub_D_";
    if (symbol.starts_with(kInitializers))
        return staticInitializerName("static initializers", symbol.substr(kInitializers.size()),
                                     unit_file);
    if (symbol.starts_with(kDestructors))
        return staticInitializerName("static destructors", symbol.substr(kDestructors.size()),
                                     unit_file);
    if (symbol.starts_with("_Z"))
        return demangled(std::string(symbol)); // handles clone suffixes like c++filt
    const size_t dot = symbol.find('.');
    if (dot != std::string_view::npos && dot + 1 < symbol.size() &&
        isCIdentifier(symbol.substr(0, dot)))
        return std::string(symbol.substr(0, dot)) + " [clone " + std::string(symbol.substr(dot)) +
               "]";
    return std::string(symbol);
}

} // namespace hprof

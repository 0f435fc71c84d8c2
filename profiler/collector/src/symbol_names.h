// The names people read for symbols: demangled C++ names, and what compiler-generated functions
// are (c++filt's wording where it has one).
#pragma once

#include <string>
#include <string_view>

namespace hprof {

// "_Z3fooi" -> "foo(int)"; "_Z3fooi.constprop.0" -> "foo(int) [clone .constprop.0]";
// "compar.1" (a C function renamed by GCC: a clone or a second static of that name) ->
// "compar [clone .1]"; "_GLOBAL__sub_I__Z3foov" -> "static initializers of <unit_file>" when the
// translation unit's file is known, else "static initializers (with foo())" naming the function
// GCC took the suffix from; "_GLOBAL__sub_D_..." likewise for destructors. Other names unchanged.
std::string readableName(std::string_view symbol, std::string_view unit_file = {});

} // namespace hprof

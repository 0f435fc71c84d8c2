# hprof_instrument(<target>): build <target> with -finstrument-functions, so that hprof (whose
# probe implements __cyg_profile_func_enter/exit) counts every call of its functions exactly.
# See docs/instrumenting.md.
#
# Functions defined under the system headers (/usr/include: the C++ standard library's
# templates, inlined into the target) and under GCC's own headers (/usr/lib/gcc: intrinsics)
# are NOT instrumented: GCC matches each entry of the exclude list as a substring of the path
# of the file where the function is defined, so std::vector<T>::push_back and friends stay
# uninstrumented even when inlined into the target's code, and the call table shows the
# program's own functions instead of thousands of tiny standard library calls.
#
# Usable from other projects: include(<prefix>/lib/cmake/hprof/HprofInstrument.cmake).
function(hprof_instrument target)
  target_compile_options(${target} PRIVATE
    -finstrument-functions
    -finstrument-functions-exclude-file-list=/usr/include,/usr/lib/gcc)
endfunction()

# Installed with hprof itself; a project that includes the installed copy installs nothing.
if(CMAKE_CURRENT_LIST_DIR STREQUAL "${hprof_SOURCE_DIR}/cmake")
  install(FILES ${CMAKE_CURRENT_LIST_FILE} DESTINATION lib/cmake/hprof)
endif()

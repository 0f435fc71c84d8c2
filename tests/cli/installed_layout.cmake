# Installs the build into a fresh prefix and records a program with the installed hprof: the
# probe must be found relative to the executable (<prefix>/bin/../lib/hprof) without HPROF_PROBE.
# Arguments: BUILD_DIR, PREFIX, PROGRAM.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${status}")
endif()
set(ENV{HPROF_PROBE} "")
execute_process(COMMAND ${PREFIX}/bin/hprof -q -o ${PREFIX}/run.hprof ${PROGRAM} exit 0
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT out STREQUAL "exiting 0\n" OR NOT EXISTS ${PREFIX}/run.hprof)
  message(FATAL_ERROR "installed hprof failed: status ${status}, stdout '${out}', stderr '${err}'")
endif()
if(NOT err MATCHES "^hprof: profile written to ${PREFIX}/run.hprof \\([0-9]+ samples\\)\n$")
  message(FATAL_ERROR "unexpected stderr: '${err}'")
endif()
file(REMOVE_RECURSE ${PREFIX})

/* A preload library that does nothing: it lets the tests run the launcher without the real
 * probe. No raw stream is written, so the collector must fail with "no profile data". */
int hprof_cli_test_empty_probe_marker;

// SwiftPM links an executable with `--defsym main=<module>_main`; a fuzz target has no Swift
// main (libFuzzer drives it), so each of these starts libFuzzer's driver on the target's
// LLVMFuzzerTestOneInput. Every fuzz executable links this file and defines that one function.
#include <stddef.h>
#include <stdint.h>
#include "FuzzMain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

static int drive(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
int fuzz_expression_main(int argc, char **argv) { return drive(argc, argv); }
int fuzz_record_main(int argc, char **argv) { return drive(argc, argv); }
int fuzz_pathway_main(int argc, char **argv) { return drive(argc, argv); }
int fuzz_csv_main(int argc, char **argv) { return drive(argc, argv); }
int fuzz_fhir_main(int argc, char **argv) { return drive(argc, argv); }
int fuzz_gp2gp_main(int argc, char **argv) { return drive(argc, argv); }

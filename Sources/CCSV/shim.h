// libcsv (Debian: libcsv-dev). Debian ships no pkg-config file for it, so the module map links "csv" directly.
#include <csv.h>

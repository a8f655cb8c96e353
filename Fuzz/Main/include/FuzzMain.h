// The entry points SwiftPM expects of the fuzz executables (it links each with
// main = <product>_main), handing over to libFuzzer's driver. Used only by `make fuzz`.
#pragma once

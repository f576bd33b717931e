// libFuzzer's entry for programs that have their own main (clang's compiler-rt, linked by
// `-sanitize=fuzzer`). SwiftPM names an executable's main `<module>_main`, so the fuzz binary
// starts libFuzzer through this instead of libFuzzer's own main.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/* Runs a fuzz target's LLVMFuzzerTestOneInput over every file of the given
 * corpus directories, without libFuzzer: the corpus (seeds and every input
 * that once crashed) becomes a regression test in every build.  Prints TAP. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
    static uint8_t buf[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f) {
        return -1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

int
main(int argc, char *argv[])
{
    int done = 0;

    printf("1..%d\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        int n = 0;

        if (!d) {
            printf("not ok %d - %s: cannot open corpus\n", i, argv[i]);
            continue;
        }
        while ((e = readdir(d))) {
            char path[4096];

            if (e->d_name[0] == '.') {
                continue;
            }
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (replay_file(path) == 0) {
                n++;
            }
        }
        closedir(d);
        /* Reaching here means no input crashed or aborted. */
        printf("ok %d - %s: %d inputs\n", i, argv[i], n);
        done++;
    }
    return done == argc - 1 ? 0 : 1;
}

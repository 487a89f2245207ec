/* xswctl: the command-line tool that drives xswd (and works offline on keys,
 * actions and captures). */
#include <stdio.h>

int
main(int argc, char *argv[])
{
    (void) argc;
    (void) argv;
    fprintf(stderr, "xswctl: no command given\n");
    return 2;
}

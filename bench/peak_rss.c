/* peak_rss: run a command and print its peak resident memory, for the benchmarks.
 *
 * GNU time is not installed everywhere; wait4() gives the same figure (ru_maxrss, KiB on
 * Linux) with nothing to install.  usage: peak_rss COMMAND [ARGS...]; prints
 * "peak_rss_kib N" and "wall_seconds S" (the command's wall-clock time, start-up and output
 * included: POSIX sh has no sub-second clock) on stderr, and exits with the command's status.
 */
#include <stdio.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: peak_rss COMMAND [ARGS...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "peak_rss_kib %ld\n", ru.ru_maxrss);
    fprintf(stderr, "wall_seconds %.3f\n",
            (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

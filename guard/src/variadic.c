/*
 * The variadic members of the exec family (execl, execlp, execle). Stable Rust cannot define
 * a C-variadic function, so these few lines gather the arguments into an argv on the stack
 * and hand them to the guard's Rust entry points. The exported `execl`, `execlp` and `execle`
 * are naked Rust functions that jump here with every register and the stack untouched. Like the rest of the guard they allocate
 * nothing and take no lock: they may run in a vfork child.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>

extern char **environ;

int interlock_guard_execve(const char *path, char *const argv[], char *const envp[]);
int interlock_guard_execvpe(const char *file, char *const argv[], char *const envp[]);

/* Counts the arguments after `arg`, up to and including the terminating NULL. */
#define COUNT_ARGS(arg, count)                          \
    do {                                                \
        va_list ap_;                                    \
        va_start(ap_, arg);                             \
        count = 1;                                      \
        if (arg != NULL)                                \
            while (va_arg(ap_, const char *) != NULL)   \
                count++;                                \
        va_end(ap_);                                    \
    } while (0)

/* Fills argv[0..count] with `arg`, the variadic arguments and the NULL after them. */
#define FILL_ARGS(arg, argv, count)                     \
    do {                                                \
        va_list ap_;                                    \
        va_start(ap_, arg);                             \
        argv[0] = (char *)arg;                          \
        for (size_t i_ = 1; i_ <= count; i_++)          \
            argv[i_] = i_ < count ? va_arg(ap_, char *) : NULL; \
        va_end(ap_);                                    \
    } while (0)

/* glibc caps these at this many arguments too (beyond, the kernel refuses anyway). */
#define MAX_ARGS 65536

/* execl and execlp: the arguments up to their NULL become the argv, the environment is the
 * process' own; `run` is the exec that takes them. */
#define EXEC_L(name, run)                                                          \
    __attribute__((visibility("hidden"))) int name(const char *path, const char *arg, ...) \
    {                                                                              \
        size_t count;                                                              \
        COUNT_ARGS(arg, count);                                                    \
        if (count > MAX_ARGS) {                                                    \
            errno = E2BIG;                                                         \
            return -1;                                                             \
        }                                                                          \
        char *argv[count + 1];                                                     \
        FILL_ARGS(arg, argv, count);                                               \
        return run(path, argv, environ);                                           \
    }

EXEC_L(interlock_guard_execl, interlock_guard_execve)
EXEC_L(interlock_guard_execlp, interlock_guard_execvpe)

__attribute__((visibility("hidden"))) int interlock_guard_execle(const char *path, const char *arg, ...)
{
    size_t count;
    COUNT_ARGS(arg, count);
    if (count > MAX_ARGS) {
        errno = E2BIG;
        return -1;
    }
    char *argv[count + 1];
    char *const *envp;
    va_list ap;
    va_start(ap, arg);
    argv[0] = (char *)arg;
    for (size_t i = 1; i < count; i++)
        argv[i] = va_arg(ap, char *);
    if (arg != NULL)
        (void)va_arg(ap, char *); /* the NULL that ends the arguments */
    argv[count] = NULL;
    envp = va_arg(ap, char *const *);
    va_end(ap);
    return interlock_guard_execve(path, argv, envp);
}

/*
 * Self-pipe signal delivery for io.github.rtmpedge.edge.lifecycle.NativeSignals.
 *
 * HotSpot keeps SIGQUIT for itself (thread dumps, and the trigger of its attach mechanism), so
 * Java cannot handle it. This handler takes the signal over with sigaction(2) and writes the
 * signal number, one byte, to a pipe that a Java thread reads. A SIGQUIT sent by jcmd/jstack/JFR
 * (they create ".attach_pid<pid>" in our cwd or /tmp first) is passed on to the JVM's handler.
 * The handler calls only async-signal-safe functions (signal-safety(7)): stat, geteuid, write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int pipe_fds[2] = {-1, -1};
static struct sigaction previous[NSIG];
static char cwd_trigger[PATH_MAX + 32];
static char tmp_trigger[64];

/* The JVM's own test: the trigger file exists and belongs to us or to root (else a thread dump). */
static int is_attach_trigger(const char *path) {
    struct stat st;
    return path[0] != '\0' && stat(path, &st) == 0 && (st.st_uid == geteuid() || st.st_uid == 0);
}

static void on_signal(int signo, siginfo_t *info, void *context) {
    int saved_errno = errno;
    const struct sigaction *old = &previous[signo];
    int jvm_has_handler = (old->sa_flags & SA_SIGINFO) ? old->sa_sigaction != NULL
            : (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN);
    if (signo == SIGQUIT && jvm_has_handler
            && (is_attach_trigger(cwd_trigger) || is_attach_trigger(tmp_trigger))) {
        if (old->sa_flags & SA_SIGINFO) {
            old->sa_sigaction(signo, info, context);
        } else {
            old->sa_handler(signo);
        }
    } else {
        unsigned char byte = (unsigned char) signo;
        /* Non-blocking: if the pipe is full (64 KiB of unread signals) this one is dropped. */
        ssize_t ignored = write(pipe_fds[1], &byte, 1);
        (void) ignored;
    }
    errno = saved_errno;
}

/* Returns 0, or the errno that made it fail. */
JNIEXPORT jint JNICALL Java_io_github_rtmpedge_edge_lifecycle_NativeSignals_install0(JNIEnv *env, jclass cls, jint signo) {
    if (signo <= 0 || signo >= NSIG) {
        return EINVAL;
    }
    if (pipe_fds[0] < 0) {
        char cwd[PATH_MAX];
        if (pipe2(pipe_fds, O_CLOEXEC) != 0 || fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK) != 0) {
            return errno;
        }
        snprintf(cwd_trigger, sizeof cwd_trigger, "%s/.attach_pid%d", getcwd(cwd, sizeof cwd) ? cwd : "", (int) getpid());
        snprintf(tmp_trigger, sizeof tmp_trigger, "/tmp/.attach_pid%d", (int) getpid());
    }
    struct sigaction action = {0};
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    /* Remember the old action before ours can run (its QUIT branch reads it). */
    if (sigaction(signo, NULL, &previous[signo]) != 0) {
        return errno;
    }
    /* Replaces SIG_IGN too: a JVM started in the background by sh has INT and QUIT ignored. */
    return sigaction(signo, &action, NULL) == 0 ? 0 : errno;
}

/* Puts back the action that install0 replaced. Returns 0 or errno. */
JNIEXPORT jint JNICALL Java_io_github_rtmpedge_edge_lifecycle_NativeSignals_restore0(JNIEnv *env, jclass cls, jint signo) {
    return sigaction(signo, &previous[signo], NULL) == 0 ? 0 : errno;
}

/* Blocks until a byte arrives: a signal number, or 0 from wake0. Returns it, or -errno. */
JNIEXPORT jint JNICALL Java_io_github_rtmpedge_edge_lifecycle_NativeSignals_await0(JNIEnv *env, jclass cls) {
    unsigned char byte;
    ssize_t n;
    do {
        n = read(pipe_fds[0], &byte, 1);
    } while (n < 0 && errno == EINTR);
    return n == 1 ? byte : (n == 0 ? -EPIPE : -errno);
}

/* Wakes the thread blocked in await0 with a 0 byte (no signal has number 0). */
JNIEXPORT jint JNICALL Java_io_github_rtmpedge_edge_lifecycle_NativeSignals_wake0(JNIEnv *env, jclass cls) {
    unsigned char byte = 0;
    return write(pipe_fds[1], &byte, 1) == 1 ? 0 : errno;
}

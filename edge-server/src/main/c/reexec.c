/*
 * execve(2) for io.github.rtmpedge.edge.lifecycle.JvmRelaunch: the server replaces its own JVM with
 * one started with its memory defaults, keeping its process id, so that whoever started it (a shell,
 * a supervisor, a test, the kubelet) still holds the process it started and signals it directly.
 *
 * Before the call: every descriptor above stderr is marked close-on-exec (the old JVM's jar and
 * library files must not leak into the new one), and the calling thread's signal mask is emptied
 * (the mask survives execve, and HotSpot blocks SIGQUIT in its threads). Dispositions are left as
 * they are: handlers reset to default by themselves, and SIG_IGN set by nohup or a shell must stay.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void free_strings(char **strings, jsize count) {
    if (strings == NULL) {
        return;
    }
    for (jsize i = 0; i < count; i++) {
        free(strings[i]);
    }
    free(strings);
}

/* A NULL-terminated copy of a String[], or NULL when out of memory. */
static char **to_strings(JNIEnv *env, jobjectArray array, jsize count) {
    char **strings = calloc((size_t) count + 1, sizeof(char *));
    if (strings == NULL) {
        return NULL;
    }
    for (jsize i = 0; i < count; i++) {
        jstring element = (jstring) (*env)->GetObjectArrayElement(env, array, i);
        const char *utf = element == NULL ? NULL : (*env)->GetStringUTFChars(env, element, NULL);
        if (utf == NULL) {
            free_strings(strings, count);
            return NULL;
        }
        strings[i] = strdup(utf);
        (*env)->ReleaseStringUTFChars(env, element, utf);
        (*env)->DeleteLocalRef(env, element);
        if (strings[i] == NULL) {
            free_strings(strings, count);
            return NULL;
        }
    }
    return strings;
}

static void close_on_exec_above_stderr(void) {
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL) {
        return;
    }
    int own = dirfd(dir);
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        int fd = atoi(entry->d_name);
        if (fd > 2 && fd != own) {
            int flags = fcntl(fd, F_GETFD);
            if (flags >= 0) {
                fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
            }
        }
    }
    closedir(dir);
}

/* Returns only on failure, with the errno of the step that failed. */
JNIEXPORT jint JNICALL Java_io_github_rtmpedge_edge_lifecycle_JvmRelaunch_execve0(
        JNIEnv *env, jclass cls, jstring path, jobjectArray argv, jobjectArray envp) {
    jsize argc = (*env)->GetArrayLength(env, argv);
    jsize envc = (*env)->GetArrayLength(env, envp);
    char **args = to_strings(env, argv, argc);
    char **vars = to_strings(env, envp, envc);
    const char *file = (*env)->GetStringUTFChars(env, path, NULL);
    if (args == NULL || vars == NULL || file == NULL) {
        free_strings(args, argc);
        free_strings(vars, envc);
        if (file != NULL) {
            (*env)->ReleaseStringUTFChars(env, path, file);
        }
        return ENOMEM;
    }
    close_on_exec_above_stderr();
    sigset_t none, previous;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, &previous);
    execve(file, args, vars);
    int error = errno;
    /* Still here: the JVM goes on as it was started. */
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    (*env)->ReleaseStringUTFChars(env, path, file);
    free_strings(args, argc);
    free_strings(vars, envc);
    return error;
}

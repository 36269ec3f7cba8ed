// ThreadSanitizer builds only (BATON_TSAN): C11 threads on top of pthreads.
// librdkafka runs its threads and locks through C11 <threads.h>. In glibc
// thrd_create, mtx_lock, cnd_wait, ... call glibc's internal pthread
// functions, which GCC 12's libtsan does not intercept: a librdkafka thread
// starts without TSan's per-thread state (it crashes in TSan's allocator) and
// its locks are invisible. Defining these functions in the executable
// interposes them for librdkafka; they call the public (intercepted) pthread
// functions, so TSan sees the threads and every lock.
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

struct baton_thrd_start {
  thrd_start_t fn;
  void* arg;
};

static void* baton_thrd_trampoline(void* p) {
  struct baton_thrd_start s = *(struct baton_thrd_start*)p;
  free(p);
  return (void*)(intptr_t)s.fn(s.arg);
}

static int baton_thrd_result(int rc) {
  if (rc == 0) return thrd_success;
  if (rc == ENOMEM) return thrd_nomem;
  if (rc == ETIMEDOUT) return thrd_timedout;
  if (rc == EBUSY) return thrd_busy;
  return thrd_error;
}

int thrd_create(thrd_t* thr, thrd_start_t fn, void* arg) {
  struct baton_thrd_start* s = malloc(sizeof *s);
  if (!s) return thrd_nomem;
  s->fn = fn;
  s->arg = arg;
  int rc = pthread_create((pthread_t*)thr, NULL, baton_thrd_trampoline, s);
  if (rc != 0) free(s);
  return baton_thrd_result(rc);
}

int thrd_join(thrd_t thr, int* res) {
  void* r = NULL;
  int rc = pthread_join((pthread_t)thr, &r);
  if (rc == 0 && res) *res = (int)(intptr_t)r;
  return baton_thrd_result(rc);
}

int thrd_detach(thrd_t thr) { return baton_thrd_result(pthread_detach((pthread_t)thr)); }

int mtx_init(mtx_t* m, int type) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  if (type & mtx_recursive) pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  int rc = pthread_mutex_init((pthread_mutex_t*)m, &a);
  pthread_mutexattr_destroy(&a);
  return baton_thrd_result(rc);
}
int mtx_lock(mtx_t* m) { return baton_thrd_result(pthread_mutex_lock((pthread_mutex_t*)m)); }
int mtx_trylock(mtx_t* m) { return baton_thrd_result(pthread_mutex_trylock((pthread_mutex_t*)m)); }
int mtx_timedlock(mtx_t* restrict m, const struct timespec* restrict ts) {
  return baton_thrd_result(pthread_mutex_timedlock((pthread_mutex_t*)m, ts));
}
int mtx_unlock(mtx_t* m) { return baton_thrd_result(pthread_mutex_unlock((pthread_mutex_t*)m)); }
void mtx_destroy(mtx_t* m) { pthread_mutex_destroy((pthread_mutex_t*)m); }

int cnd_init(cnd_t* c) { return baton_thrd_result(pthread_cond_init((pthread_cond_t*)c, NULL)); }
int cnd_signal(cnd_t* c) { return baton_thrd_result(pthread_cond_signal((pthread_cond_t*)c)); }
int cnd_broadcast(cnd_t* c) {
  return baton_thrd_result(pthread_cond_broadcast((pthread_cond_t*)c));
}
int cnd_wait(cnd_t* c, mtx_t* m) {
  return baton_thrd_result(pthread_cond_wait((pthread_cond_t*)c, (pthread_mutex_t*)m));
}
int cnd_timedwait(cnd_t* restrict c, mtx_t* restrict m, const struct timespec* restrict ts) {
  return baton_thrd_result(pthread_cond_timedwait((pthread_cond_t*)c, (pthread_mutex_t*)m, ts));
}
void cnd_destroy(cnd_t* c) { pthread_cond_destroy((pthread_cond_t*)c); }

void call_once(once_flag* flag, void (*fn)(void)) { pthread_once((pthread_once_t*)flag, fn); }

// Typed wrappers for libcurl's variadic calls, which Swift cannot call
// (curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt). One wrapper per argument
// kind, as swift-corelibs-foundation's CFURLSessionInterface.h does. Prefixed ccurl_.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);
typedef int (*ccurl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option, ccurl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}
static inline CURLcode ccurl_easy_setopt_debug_callback(CURL *handle, ccurl_debug_callback value) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, value);
}

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode ccurl_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline curl_version_info_data *ccurl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

// MARK: - A cookie jar shared by the transfers of one engine

/// A share handle that shares cookies, with one mutex per kind of data libcurl locks (its
/// share handles need the caller's locking when several threads use them).
typedef struct {
    CURLSH *share;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
} ccurl_cookie_share;

static void ccurl_cookie_share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userptr) {
    (void)handle; (void)access;
    pthread_mutex_lock(&((ccurl_cookie_share *)userptr)->locks[data]);
}

static void ccurl_cookie_share_unlock(CURL *handle, curl_lock_data data, void *userptr) {
    (void)handle;
    pthread_mutex_unlock(&((ccurl_cookie_share *)userptr)->locks[data]);
}

/// A new share handle sharing cookies, or NULL (out of memory, or a libcurl without cookies).
static inline ccurl_cookie_share *ccurl_cookie_share_create(void) {
    ccurl_cookie_share *share = (ccurl_cookie_share *)calloc(1, sizeof *share);
    if (share == NULL) return NULL;
    share->share = curl_share_init();
    if (share->share == NULL) { free(share); return NULL; }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&share->locks[i], NULL);
    curl_share_setopt(share->share, CURLSHOPT_LOCKFUNC, ccurl_cookie_share_lock);
    curl_share_setopt(share->share, CURLSHOPT_UNLOCKFUNC, ccurl_cookie_share_unlock);
    curl_share_setopt(share->share, CURLSHOPT_USERDATA, share);
    if (curl_share_setopt(share->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE) != CURLSHE_OK) {
        /* Without a shared store, each handle would quietly keep a jar of its own. */
        curl_share_cleanup(share->share);
        for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&share->locks[i]);
        free(share);
        return NULL;
    }
    return share;
}

/// Frees the share; every easy handle that used it must be cleaned up first (if one is not,
/// the share is left allocated rather than freed under it).
static inline void ccurl_cookie_share_free(ccurl_cookie_share *share) {
    /* Still in use: libcurl would call the lock functions later, so keep them alive. */
    if (curl_share_cleanup(share->share) != CURLSHE_OK) return;
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&share->locks[i]);
    free(share);
}

/// Makes `handle` keep its cookies in the share's jar (and turns its cookie engine on,
/// reading no file).
static inline CURLcode ccurl_easy_use_cookie_share(CURL *handle, ccurl_cookie_share *share) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_SHARE, share->share);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_COOKIEFILE, "");
}

#endif

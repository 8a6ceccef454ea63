#ifndef SIMPUL_CCURL_SHIM_H
#define SIMPUL_CCURL_SHIM_H
// libcurl's easy API is variadic (curl_easy_setopt, curl_easy_getinfo), which Swift cannot call:
// one typed wrapper per kind of argument, and its macros as named constants. The gcc type-check
// macros are off so the wrappers compile to the plain calls.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

static inline CURLcode simpul_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode simpul_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode simpul_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode simpul_curl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode simpul_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode simpul_curl_setopt_read_function(CURL *handle, curl_read_callback function) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, function);
}
static inline CURLcode simpul_curl_setopt_write_function(CURL *handle, curl_write_callback function) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, function);
}
static inline CURLcode simpul_curl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback function) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, function);
}
static inline CURLcode simpul_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static const long simpul_curl_global_default = CURL_GLOBAL_DEFAULT;
static const long simpul_curl_error_size = CURL_ERROR_SIZE;
static const long simpul_curl_usessl_try = CURLUSESSL_TRY;
static const long simpul_curl_usessl_all = CURLUSESSL_ALL;
static const long simpul_curl_readfunc_abort = CURL_READFUNC_ABORT;
#endif

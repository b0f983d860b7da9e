export const id = 584;
export const ids = [584];
export const modules = {

/***/ 6584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubClient: () => (/* binding */ githubClient)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6856);


/** Retries after GitHub's primary and secondary rate limits before giving up. */
const RATE_LIMIT_RETRIES = 3;
/**
 * Builds the GitHub client: `apiUrl` honours GITHUB_API_URL (GitHub Enterprise Server), and the
 * throttling plugin waits out primary and secondary rate limits (it reads Retry-After and the
 * reset time) instead of failing the collector.
 */
function githubClient(token, apiUrl, logger) {
    const retry = (kind) => (retryAfter, options, _octokit, retryCount) => {
        if (retryCount >= RATE_LIMIT_RETRIES)
            return false;
        logger.info(`GitHub ${kind} rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
        return true;
    };
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, {
        baseUrl: apiUrl,
        throttle: { onRateLimit: retry('primary'), onSecondaryRateLimit: retry('secondary') },
    }, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_1__/* .throttling */ .A);
}
// Where tests and older callers look for it; modules of the bundle's first chunk import it from
// status.ts, so that importing it does not load Octokit.



/***/ })

};

/** The most characters a review comment's text may have (the API's 400 and the page's counter). */
export const MAX_COMMENT_LENGTH = 10_000;

/**
 * The request as it arrived, for checks bound to its exact bytes (a gateway credential signs
 * the body it accompanies): the body of a POST, the search string (`?query=...`) of a GET.
 */
export interface RawRequest {
  method: string;
  /** The body text of a POST ('' for a GET). */
  body: string;
  /** The URL's search part, with its `?` ('' when none). */
  search: string;
}

/**
 * What a request's credential covers: the body of a POST, the search string of any other method.
 * @example signedPart({ method: 'POST', body: '{"query":"{ a }"}', search: '' }) // '{"query":"{ a }"}'
 */
export function signedPart(raw: RawRequest): string {
  return raw.method === 'POST' ? raw.body : raw.search;
}

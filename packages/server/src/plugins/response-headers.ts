// Headers of a response, copied to replace its body: name by name and lower-cased, because a
// Headers built from another keeps the names' case, and then get('www-authenticate') misses
// 'WWW-Authenticate'.
export function copyHeaders(fetchAPI: { Headers: typeof Headers }, from: Headers): Headers {
  const headers = new fetchAPI.Headers();
  from.forEach((value, name) => {
    headers.append(name.toLowerCase(), value);
  });
  return headers;
}

//! Web security at the edge, before any handler runs: headers every response carries, and the
//! refusal of writes that did not come from this site's own pages (cross-site request forgery,
//! login CSRF, non-form bodies, oversized bodies). The pages' Content-Security-Policy carries
//! the response's nonce and is set by the HTML shell (`app::api::ssr::content_security_policy`).

use app::api::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// The largest request body the server reads (form posts of the largest page part are far below).
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// The policy of responses that are not pages (JSON, CSV, files): load nothing, frame nowhere.
const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Adds nosniff, no framing, a same-origin referrer and, where the page did not set its own, a
/// restrictive Content-Security-Policy.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(NON_PAGE_POLICY));
    }
    response
}

/// Refuses a write (any method but GET/HEAD/OPTIONS) that a browser marks as cross-site, whose
/// `Origin` is not this server, whose body is not a form, or whose body is too large. Clients
/// that send neither `Origin` nor `Sec-Fetch-Site` (scripts, curl) are not browsers acting for
/// someone else and pass the origin check.
pub async fn guard_writes(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    // Spreadsheet uploads may be larger than any form; their size is checked here too, before
    // the body is read.
    let max = if crate::files::is_upload(request.uri().path()) { crate::files::upload_limit() } else { MAX_BODY_BYTES };
    if let Err(e) = check_write_limit(request.headers(), max) {
        return crate::web::refuse_json(&e);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, max).await else {
        return crate::web::refuse_json(&AppError::TooLarge { max_kib: max / 1024 });
    };
    if let Err(e) = check_form_text(&parts.headers, &bytes) {
        return crate::web::refuse_json(&e);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Every value of a URL-encoded form must be UTF-8 text without control characters (line breaks
/// and tabs aside): a NUL or an escape sequence is never content, and PostgreSQL refuses a NUL
/// outright. Checked once here for every server function.
pub fn check_form_text(headers: &HeaderMap, body: &[u8]) -> Result<(), AppError> {
    let media_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !media_type.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return Ok(());
    }
    for pair in body.split(|&b| b == b'&') {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let (key, value) = (halves.next().unwrap_or(&[]), halves.next().unwrap_or(&[]));
        let decode = |raw: &[u8]| -> Vec<u8> {
            let spaced: Vec<u8> = raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
            percent_encoding::percent_decode(&spaced).collect()
        };
        let key = String::from_utf8_lossy(&decode(key)).chars().take(40).collect::<String>();
        let value = decode(value);
        let Ok(text) = std::str::from_utf8(&value) else {
            return Err(AppError::BadRequest(format!("“{key}”不是有效的 UTF-8 文本")));
        };
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(AppError::BadRequest(format!("“{key}”不能含控制字符")));
        }
    }
    Ok(())
}

/// The header checks of [`guard_writes`], as a pure function of the request headers.
pub fn check_write(headers: &HeaderMap) -> Result<(), AppError> {
    check_write_limit(headers, MAX_BODY_BYTES)
}

/// [`check_write`] with a body limit of `max` bytes.
pub fn check_write_limit(headers: &HeaderMap, max: usize) -> Result<(), AppError> {
    let text = |name: header::HeaderName| headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"));
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        if !matches!(site, "same-origin" | "none") {
            return Err(AppError::CrossOrigin);
        }
    }
    if let Some(origin) = text(header::ORIGIN) {
        let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
        match (authority, text(header::HOST)) {
            (Some(a), Some(host)) if a.eq_ignore_ascii_case(host) => {}
            _ => return Err(AppError::CrossOrigin),
        }
    }
    if let Some(length) = text(header::CONTENT_LENGTH) {
        if !matches!(length.parse::<usize>(), Ok(n) if n <= max) {
            return Err(AppError::TooLarge { max_kib: max / 1024 });
        }
    }
    let media_type = text(header::CONTENT_TYPE).unwrap_or("").split(';').next().unwrap_or("").trim();
    let form = ["application/x-www-form-urlencoded", "multipart/form-data"];
    if !form.iter().any(|f| media_type.eq_ignore_ascii_case(f)) {
        return Err(AppError::UnsupportedMediaType);
    }
    Ok(())
}

/// A CSV cell that a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, tab or
/// carriage return first) gets a leading apostrophe, so it is shown as text. Plain numbers such
/// as `-1.5` stay as they are.
pub fn csv_cell(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(&value) {
        format!("'{value}")
    } else {
        value
    }
}

/// A sign, digits and at most one decimal point with digits after it.
fn is_plain_number(s: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(header::HeaderName::from_static(k), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

    #[test]
    fn same_origin_form_posts_pass() {
        assert_eq!(check_write(&headers(&[FORM])), Ok(()));
        let same = headers(&[FORM, ("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]);
        assert_eq!(check_write(&same), Ok(()));
        let fetch = headers(&[FORM, ("sec-fetch-site", "same-origin")]);
        assert_eq!(check_write(&fetch), Ok(()));
        let multipart = headers(&[("content-type", "multipart/form-data; boundary=x")]);
        assert_eq!(check_write(&multipart), Ok(()));
    }

    #[test]
    fn cross_origin_writes_are_refused() {
        let evil = headers(&[FORM, ("origin", "http://evil.example"), ("host", "127.0.0.1:3000")]);
        assert_eq!(check_write(&evil), Err(AppError::CrossOrigin));
        let other_port = headers(&[FORM, ("origin", "http://127.0.0.1:3001"), ("host", "127.0.0.1:3000")]);
        assert_eq!(check_write(&other_port), Err(AppError::CrossOrigin));
        let null = headers(&[FORM, ("origin", "null"), ("host", "127.0.0.1:3000")]);
        assert_eq!(check_write(&null), Err(AppError::CrossOrigin));
        let sibling = headers(&[FORM, ("sec-fetch-site", "same-site")]);
        assert_eq!(check_write(&sibling), Err(AppError::CrossOrigin));
        let cross = headers(&[FORM, ("sec-fetch-site", "cross-site")]);
        assert_eq!(check_write(&cross), Err(AppError::CrossOrigin));
    }

    #[test]
    fn non_form_bodies_and_oversized_ones_are_refused() {
        let plain = headers(&[("content-type", "text/plain")]);
        assert_eq!(check_write(&plain), Err(AppError::UnsupportedMediaType));
        assert_eq!(check_write(&headers(&[])), Err(AppError::UnsupportedMediaType));
        let big = headers(&[FORM, ("content-length", "999999999")]);
        assert!(matches!(check_write(&big), Err(AppError::TooLarge { .. })));
    }

    #[test]
    fn form_values_must_be_text_without_control_characters() {
        let form = headers(&[FORM]);
        assert_eq!(
            check_form_text(&form, "a=1&body=%E6%84%8F%E8%A7%81%0A%E7%AC%AC%E4%BA%8C%E8%A1%8C".as_bytes()),
            Ok(())
        );
        assert_eq!(check_form_text(&form, b"a=x+y&b="), Ok(()));
        for bad in [&b"body=1%00x"[..], b"body=%07", b"body=%1B%5B31m", b"name=%C2%85"] {
            assert!(
                matches!(check_form_text(&form, bad), Err(AppError::BadRequest(ref m)) if m.contains("控制字符")),
                "{bad:?}"
            );
        }
        assert!(
            matches!(check_form_text(&form, b"body=%FF%FE"), Err(AppError::BadRequest(ref m)) if m.contains("UTF-8"))
        );
        // Not a URL-encoded form: not this check's business.
        assert_eq!(check_form_text(&headers(&[("content-type", "multipart/form-data; boundary=x")]), b"\0"), Ok(()));
    }

    #[test]
    fn formula_cells_are_shown_as_text() {
        for risky in ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"] {
            assert_eq!(csv_cell(risky.into()), format!("'{risky}"));
        }
        for plain in ["-1", "-1.5", "+3", "张三", "95%", "≥95%", ""] {
            assert_eq!(csv_cell(plain.into()), plain);
        }
    }
}

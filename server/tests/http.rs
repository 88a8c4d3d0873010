//! The web app over HTTP: server-rendered pages and a server-function call, on a demo database.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use db::testing::TestDb;
use tower::ServiceExt;

async fn demo_router() -> (axum::Router, TestDb) {
    let t = TestDb::sqlite().await.unwrap();
    db::migrate(&t.db).await.unwrap();
    db::demo::load(&t.db).await.unwrap();
    (jixiao::web::router(t.db.clone(), "target/site"), t)
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, String) {
    let res = router
        .clone()
        .oneshot(Request::get(uri).header("accept", "text/html").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn project_list_is_server_rendered() {
    let (router, t) = demo_router().await;
    let (status, html) = get(&router, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"zh-CN\""), "{html}");
    assert!(html.contains("政府网站维护费及业务经费"));
    assert!(html.contains("阿合奇县电子政务办公室"));
    assert!(html.contains("href=\"/projects/1\""));
    assert!(html.contains("10.00"), "funds in 万元 with two decimals");
    assert!(html.contains("17 项"));
    assert!(html.contains("/pkg/jixiao.js"), "hydration script is linked");
    t.cleanup().await.unwrap();
}

#[tokio::test]
async fn project_page_shows_the_indicator_table() {
    let (router, t) = demo_router().await;
    let (status, html) = get(&router, "/projects/1").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "项目资金（万元）",
        "目标 1：维护阿合奇县人民政府网站",
        "产出指标",
        "效益指标",
        "满意度指标",
        "数量指标",
        "维护网站数量",
        "1个",
        "≤40000 元/年",
        "受益群众满意度",
        "≥95%",
        "有效保障",
    ] {
        assert!(html.contains(text), "page lacks {text:?}");
    }
    assert_eq!(html.matches("class=\"indicator-row\"").count(), 17);
    t.cleanup().await.unwrap();
}

#[tokio::test]
async fn unknown_project_and_page_are_404() {
    let (router, t) = demo_router().await;
    let (status, html) = get(&router, "/projects/9999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("未找到该页面"));
    let (status, _) = get(&router, "/projects/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&router, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.cleanup().await.unwrap();
}

#[tokio::test]
async fn get_indicators_server_function_answers_json() {
    let (router, t) = demo_router().await;
    let path = server_fn_path("get_indicators");
    let call = |body: &'static str| {
        Request::post(path.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let res = router.clone().oneshot(call("project_id=1")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 17);
    assert_eq!(rows[2]["name"], "维护网站数量");
    assert_eq!(rows[2]["target_text"], "1个");

    // A malformed argument is refused, not a panic.
    let res = router.clone().oneshot(call("project_id=abc")).await.unwrap();
    assert!(res.status().is_client_error() || res.status().is_server_error());
    t.cleanup().await.unwrap();
}

fn server_fn_path(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .find(|p| p.contains(name))
        .unwrap_or_else(|| panic!("server function {name} is registered"))
}

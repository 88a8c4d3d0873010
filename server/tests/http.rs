//! The web app over HTTP: sign-in, server-rendered pages, server functions and who may see what,
//! on a demo database.

#![recursion_limit = "512"]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use db::testing::TestDb;
use tower::ServiceExt;

struct App {
    router: axum::Router,
    db: TestDb,
}

async fn demo_app() -> App {
    demo_app_on(TestDb::sqlite().await.unwrap()).await
}

/// The demo app on a fresh database of either kind.
async fn demo_app_on(t: TestDb) -> App {
    db::migrate(&t.db).await.unwrap();
    db::demo::load(&t.db).await.unwrap();
    // A second department with its own user, to check that departments stay apart.
    let mut p = db::demo::seed_project().unwrap();
    p.department = "阿合奇县教育局".into();
    p.name = "教育信息化运维经费".into();
    let other = db::import::insert_projects(&t.db, &[p]).await.unwrap()[0];
    let row = db::store::projects::one(&t.db, other).await.unwrap().unwrap();
    db::accounts::create_user(
        &t.db,
        db::accounts::NewUser {
            username: "jiaoyu".into(),
            display_name: "教育局填报员".into(),
            password: "jiaoyu-pass-1".into(),
            role: domain::workflow::Role::Department,
            department_id: Some(row.project.department_id),
        },
    )
    .await
    .unwrap();
    App { router: jixiao::web::router(t.db.clone(), "target/site"), db: t }
}

struct Reply {
    status: StatusCode,
    body: String,
    cookie: Option<String>,
    location: Option<String>,
}

async fn send(app: &App, req: Request<Body>) -> Reply {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
    Reply { status, body: String::from_utf8(bytes.to_vec()).unwrap(), cookie, location }
}

async fn get(app: &App, uri: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(uri).header("accept", "text/html");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

async fn call(app: &App, name: &str, body: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::post(server_fn_path(name)).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(body.to_owned())).unwrap()).await
}

/// Signs in and returns the session cookie.
async fn login(app: &App, username: &str, password: &str) -> String {
    let r = call(app, "login", &format!("username={username}&password={password}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.cookie.expect("login sets the session cookie")
}

fn server_fn_path(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .find(|p| {
            p.rsplit('/')
                .next()
                .is_some_and(|last| last.starts_with(name) && last[name.len()..].chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or_else(|| panic!("server function {name} is registered"))
}

#[tokio::test]
async fn anonymous_visitors_are_asked_to_sign_in() {
    let app = demo_app().await;
    // Pages send the visitor to the login page, which returns them to the page they asked for.
    let r = get(&app, "/", None).await;
    assert_eq!((r.status, r.location.as_deref()), (StatusCode::FOUND, Some("/login")));
    assert!(!r.body.contains("政府网站维护费及业务经费"));
    let r = get(&app, "/projects/1", None).await;
    assert_eq!((r.status, r.location.as_deref()), (StatusCode::FOUND, Some("/login?next=%2Fprojects%2F1")));
    assert!(!r.body.contains("维护网站数量"));
    let r = get(&app, "/todo?year=2021", None).await;
    assert_eq!(r.location.as_deref(), Some("/login?next=%2Ftodo%3Fyear%3D2021"));
    let r = call(&app, "get_cycle", "project_id=1", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!r.body.contains("维护网站数量"));
    let r = get(&app, "/login", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("用户名") && r.body.contains("密码"));
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn wrong_password_is_refused_in_chinese() {
    let app = demo_app().await;
    let r = call(&app, "login", "username=akqi&password=wrong-password", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("用户名或密码错误"), "{}", r.body);
    // The error as data for scripts, beside the message people read.
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["error"], "login", "{}", r.body);
    assert_eq!(body["detail"], "invalid_credentials", "{}", r.body);
    assert_eq!(body["message"], "用户名或密码错误", "{}", r.body);
    let r = call(&app, "login", "username=nobody&password=wrong-password", None).await;
    assert!(r.body.contains("用户名或密码错误"), "{}", r.body);
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn department_user_sees_the_server_rendered_project() {
    let app = demo_app().await;
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    let r = get(&app, "/", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<html lang=\"zh-CN\""));
    assert!(r.body.contains("政府网站维护费及业务经费"));
    assert!(r.body.contains("href=\"/projects/1\""));
    assert!(r.body.contains("10.00"), "funds in 万元 with two decimals");
    assert!(r.body.contains("17 项"));
    assert!(r.body.contains("/pkg/jixiao.js"), "hydration script is linked");
    assert!(r.body.contains("电子政务办填报员"), "header names the user");
    assert!(!r.body.contains("教育信息化运维经费"), "another department's project is not listed");

    let r = get(&app, "/projects/1", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
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
        assert!(r.body.contains(text), "page lacks {text:?}");
    }
    assert_eq!(r.body.matches("class=\"indicator-row\"").count(), 17);
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn other_departments_projects_are_refused() {
    let app = demo_app().await;
    let cookie = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    let r = get(&app, "/", Some(&cookie)).await;
    assert!(r.body.contains("教育信息化运维经费"));
    assert!(!r.body.contains("政府网站维护费及业务经费"));
    // Forged requests for project 1 (阿合奇县电子政务办公室).
    let r = get(&app, "/projects/1", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("无权查看该项目"));
    assert!(!r.body.contains("维护网站数量"));
    let r = call(&app, "get_cycle", "project_id=1", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("维护网站数量"));
    let r = call(&app, "get_project", "id=1", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("维护网站数量"));
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn finance_sees_every_department() {
    let app = demo_app().await;
    let cookie = login(&app, "caizheng", "jixiao-finance-2021").await;
    let r = get(&app, "/", Some(&cookie)).await;
    assert!(r.body.contains("教育信息化运维经费"));
    assert!(r.body.contains("政府网站维护费及业务经费"));
    assert!(r.body.contains("合计 2 个项目"));
    let r = call(&app, "get_cycle", "project_id=1", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let cycle: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let rows = &cycle["indicators"];
    assert_eq!(rows.as_array().unwrap().len(), 17);
    assert_eq!(rows[2]["name"], "维护网站数量");
    assert_eq!(rows[2]["target_text"], "1个");
    // A malformed argument is a bad request, said in Chinese, not a panic or a server error.
    let r = call(&app, "get_cycle", "project_id=abc", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("请求内容有误"), "{}", r.body);
    app.db.cleanup().await.unwrap();
}

/// The project list's filters, order and page live in the URL: the server renders the filtered
/// list, a department user's forged filter for another department finds nothing, and nonsense in
/// the URL is ignored rather than an error.
#[tokio::test]
async fn project_list_filters_from_the_url() {
    let app = demo_app().await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let edu = "%E9%98%BF%E5%90%88%E5%A5%87%E5%8E%BF%E6%95%99%E8%82%B2%E5%B1%80"; // 阿合奇县教育局
    let r = get(&app, &format!("/?department={edu}"), Some(&finance)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("教育信息化运维经费"), "{}", r.body);
    assert!(!r.body.contains("政府网站维护费及业务经费"));
    assert!(r.body.contains("合计 1 个项目"));
    // The sort links keep the filter and flip the order of the column already sorted by.
    let r = get(&app, &format!("/?department={edu}&sort=score&desc=1"), Some(&finance)).await;
    assert!(r.body.contains(&format!("/?department={edu}&amp;sort=score")), "{}", r.body);
    assert!(r.body.contains(r#"aria-sort="descending""#));
    let r = get(&app, "/?q=%E7%BD%91%E7%AB%99&status=draft&grade=x&min=abc&page=-3", Some(&finance)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("政府网站维护费及业务经费"));
    assert!(r.body.contains("合计 1 个项目"));
    let r = get(&app, "/?status=rated", Some(&finance)).await;
    assert!(r.body.contains(r#"data-testid="list-empty""#), "{}", r.body);

    // 主管部门 tree: a school under the 教育局; filtering on the 教育局 includes the school's project,
    // and the option list shows the school indented under it.
    let admin = db::store::users::by_username(&app.db.db, "admin").await.unwrap().unwrap();
    let bureau = db::store::directory::department_by_name(&app.db.db, "阿合奇县教育局").await.unwrap().unwrap();
    db::admin::create_department(&app.db.db, &admin, "阿合奇县第一中学", Some(bureau.id)).await.unwrap();
    let mut p = db::demo::seed_project().unwrap();
    p.department = "阿合奇县第一中学".into();
    p.name = "校园网维护经费".into();
    db::import::insert_projects(&app.db.db, &[p]).await.unwrap();
    let r = get(&app, &format!("/?department={edu}"), Some(&finance)).await;
    assert!(r.body.contains("教育信息化运维经费") && r.body.contains("校园网维护经费"), "{}", r.body);
    assert!(r.body.contains("合计 2 个项目"));
    assert!(r.body.contains("\u{3000}阿合奇县第一中学</option>"), "indented under its 主管部门");
    let school = "%E9%98%BF%E5%90%88%E5%A5%87%E5%8E%BF%E7%AC%AC%E4%B8%80%E4%B8%AD%E5%AD%A6"; // 阿合奇县第一中学
    let r = get(&app, &format!("/?department={school}"), Some(&finance)).await;
    assert!(r.body.contains("校园网维护经费") && !r.body.contains("教育信息化运维经费"));

    let dept = login(&app, "akqi", "jixiao-akqi-2021").await;
    let r = get(&app, &format!("/?department={edu}"), Some(&dept)).await;
    assert!(!r.body.contains("教育信息化运维经费"));
    assert!(r.body.contains(r#"data-testid="list-empty""#));
    let r = call(
        &app,
        "list_projects",
        "query[department]=%E9%98%BF%E5%90%88%E5%A5%87%E5%8E%BF%E6%95%99%E8%82%B2%E5%B1%80",
        Some(&dept),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["selection"]["matched"], 0);
    assert_eq!(
        page["departments"],
        serde_json::json!([{ "name": "阿合奇县电子政务办公室", "depth": 0 }]),
        "only their own department is offered"
    );
    app.db.cleanup().await.unwrap();
}

/// 待办: after the administrator sets a 申报截止 that has passed, the county's draft projects are
/// overdue, grouped by department; a department user sees only their own, on /todo and on their
/// home page; a wrong date is refused naming the field and changes nothing.
#[tokio::test]
async fn todo_lists_overdue_projects_in_each_users_scope() {
    let app = demo_app().await;
    let admin = login(&app, "admin", "jixiao-admin-2021").await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let dept = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    let todo = |cookie: String| {
        let app = &app;
        async move {
            let r = call(app, "todo_list", "year=2021", Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()
        }
    };
    let before = todo(finance.clone()).await;
    assert_eq!(before["total"]["overdue"], 0, "{before}");
    assert!(before["total"]["not_submitted"].as_u64().unwrap() >= 2, "every draft declaration is owed: {before}");
    let year_id = db::store::directory::fiscal_year_by_year(&app.db.db, 2021).await.unwrap().unwrap().id;
    let wrong = format!("fiscal_year_id={year_id}&declaration=2021-13-01&monitoring=&self_evaluation=");
    let r = call(&app, "set_deadlines", &wrong, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("申报截止") && r.body.contains("2021-13-01"), "{}", r.body);
    assert_eq!(todo(finance.clone()).await, before, "a refused date changes nothing");
    let set = format!("fiscal_year_id={year_id}&declaration=2021-03-31&monitoring=&self_evaluation=");
    assert_eq!(call(&app, "set_deadlines", &set, Some(&admin)).await.status, StatusCode::OK);

    let county = todo(finance.clone()).await;
    assert_eq!(county["deadlines"]["declaration"], "2021-03-31");
    assert_eq!(county["total"]["overdue"], before["total"]["not_submitted"], "{county}");
    let departments: Vec<&str> =
        county["groups"].as_array().unwrap().iter().map(|g| g["department"].as_str().unwrap()).collect();
    assert!(
        departments.contains(&"阿合奇县教育局") && departments.contains(&"阿合奇县电子政务办公室"),
        "{departments:?}"
    );
    let page = get(&app, "/todo", Some(&finance)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("已逾期") && page.body.contains("截止 2021-03-31"), "{}", page.body);
    assert!(page.body.contains("政府网站维护费及业务经费"));

    let own = todo(dept.clone()).await;
    let departments: Vec<&str> =
        own["groups"].as_array().unwrap().iter().map(|g| g["department"].as_str().unwrap()).collect();
    assert_eq!(departments, ["阿合奇县教育局"], "{own}");
    let home = get(&app, "/", Some(&dept)).await;
    assert!(home.body.contains(r#"data-testid="todo""#) && home.body.contains("已逾期"), "{}", home.body);
    assert!(!home.body.contains("政府网站维护费及业务经费"), "another department's project leaks");
    assert!(
        !get(&app, "/", Some(&finance)).await.body.contains(r#"data-testid="todo""#),
        "finance's list has no panel"
    );
    app.db.cleanup().await.unwrap();
}

/// Two server instances on one PostgreSQL database (the multi-instance deployment), each with its
/// own pool and router: a session opened on one is honoured by the other, a write through one is
/// what the other serves, and the same stale write sent to both lands once (the other answers 409).
#[tokio::test]
async fn two_instances_share_one_postgres() {
    let a = demo_app_on(TestDb::postgres().await.unwrap()).await;
    let b_pool = a.db.another_pool().await.unwrap();
    let b = jixiao::web::router(b_pool.clone(), "target/site");
    let via_b = |req: Request<Body>| {
        let b = b.clone();
        async move {
            let res = b.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        }
    };
    let post = |name: &str, body: &str, cookie: &str| {
        Request::post(server_fn_path(name))
            .header("content-type", "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let dept = login(&a, "akqi", "jixiao-akqi-2021").await;
    let page = Request::get("/projects/1").header("accept", "text/html").header(header::COOKIE, &dept);
    let (status, body) = via_b(page.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "the session opened on A is valid on B");
    assert!(body.contains("维护网站数量"));

    // A comment written through B is on A's page.
    let (status, body) = via_b(post("add_comment", "indicator_id=1&body=实例乙写入的意见", &dept)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(get(&a, "/projects/1", Some(&dept)).await.body.contains("实例乙写入的意见"));

    // The same submit, with the same expected version, sent to both at once: one lands.
    let submit = "project_id=1&phase=declaration&action=submit&expected_version=0";
    let (on_a, on_b) =
        tokio::join!(call(&a, "transition_phase", submit, Some(&dept)), via_b(post("transition_phase", submit, &dept)));
    let mut statuses = [on_a.status, on_b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "A: {} B: {}", on_a.body, on_b.1);
    let log = db::store::audit::for_project(&a.db.db, 1).await.unwrap();
    assert_eq!(log.iter().filter(|l| l.field.map(|f| f.0) == Some(domain::vocab::Field::Status)).count(), 1);

    // Signing out on B ends the session on A too.
    let (status, _) = via_b(post("logout", "", &dept)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get(&a, "/", Some(&dept)).await.status, StatusCode::FOUND);
    b_pool.close().await.unwrap();
    a.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = demo_app().await;
    let cookie = login(&app, "admin", "jixiao-admin-2021").await;
    assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::OK);
    let r = call(&app, "logout", "", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::FOUND, "back to the login page");
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn unknown_project_and_page_are_404() {
    let app = demo_app().await;
    let cookie = login(&app, "caizheng", "jixiao-finance-2021").await;
    let r = get(&app, "/projects/9999", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("未找到该页面"));
    assert_eq!(get(&app, "/projects/abc", Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    // An unknown path is answered by the fallback, which has the database too: the page knows
    // who is signed in (no "no database connection" server error).
    let r = get(&app, "/no/such/page", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("退出"), "{}", r.body);
    app.db.cleanup().await.unwrap();
}

/// Every server function and route, for anonymous, department A (owner of project 1),
/// department B, finance and admin: who gets what status, and that refused reads leak nothing.
#[tokio::test]
async fn authorization_matrix_sqlite() {
    authorization_matrix(demo_app().await).await;
}

#[tokio::test]
async fn authorization_matrix_postgres() {
    authorization_matrix(demo_app_on(TestDb::postgres().await.expect("PostgreSQL at 127.0.0.1:5432/test")).await).await;
}

async fn authorization_matrix(app: App) {
    let dept_a = login(&app, "akqi", "jixiao-akqi-2021").await;
    let dept_b = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let admin = login(&app, "admin", "jixiao-admin-2021").await;
    let actors: [(&str, Option<&str>); 5] = [
        ("anonymous", None),
        ("dept A", Some(&dept_a)),
        ("dept B", Some(&dept_b)),
        ("finance", Some(&finance)),
        ("admin", Some(&admin)),
    ];
    use StatusCode as S;
    // (what, expected status for anonymous, dept A, dept B, finance, admin)
    let reads: [(&str, [S; 5]); 9] = [
        ("fn indicator_library", [S::UNAUTHORIZED, S::OK, S::OK, S::OK, S::OK]),
        ("fn new_project_options", [S::UNAUTHORIZED, S::OK, S::OK, S::FORBIDDEN, S::OK]),
        ("fn get_project id=1", [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        ("fn get_cycle project_id=1", [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        ("fn get_admin", [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK]),
        ("fn get_workflow project_id=1", [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        ("fn get_audit project_id=1", [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        ("fn list_projects", [S::UNAUTHORIZED, S::OK, S::OK, S::OK, S::OK]),
        ("fn todo_list", [S::UNAUTHORIZED, S::OK, S::OK, S::OK, S::OK]),
    ];
    for (what, expected) in reads {
        let mut parts = what.split(' ').skip(1);
        let (name, body) = (parts.next().unwrap(), parts.next().unwrap_or(""));
        for ((who, cookie), want) in actors.iter().zip(expected) {
            let r = call(&app, name, body, *cookie).await;
            assert_eq!(r.status, want, "{what} as {who}: {}", r.body);
            if want != S::OK {
                assert!(
                    !r.body.contains("维护网站数量") && !r.body.contains("政府网站维护费"),
                    "{what} as {who} leaks: {}",
                    r.body
                );
            }
        }
    }
    let routes: [(&str, [S; 5]); 8] = [
        ("/projects/new", [S::FOUND, S::OK, S::OK, S::FORBIDDEN, S::OK]),
        ("/", [S::FOUND, S::OK, S::OK, S::OK, S::OK]),
        ("/todo", [S::FOUND, S::OK, S::OK, S::OK, S::OK]),
        ("/admin", [S::FOUND, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK]),
        ("/admin/audit.csv", [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK]),
        ("/projects/1", [S::FOUND, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        ("/projects/1/audit.csv", [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        ("/login", [S::OK, S::OK, S::OK, S::OK, S::OK]),
    ];
    for (route, expected) in routes {
        for ((who, cookie), want) in actors.iter().zip(expected) {
            let r = get(&app, route, *cookie).await;
            assert_eq!(r.status, want, "GET {route} as {who}");
            if want != S::OK {
                assert!(!r.body.contains("维护网站数量"), "GET {route} as {who} leaks");
            }
        }
    }
    // The system-wide log has every login, with who; the project CSV only its project.
    let all = get(&app, "/admin/audit.csv", Some(&admin)).await.body;
    assert!(all.contains("登录") && all.contains("jiaoyu") && all.contains("caizheng"), "{all}");
    // current_user answers everyone; anonymous gets null.
    assert_eq!(call(&app, "current_user", "", None).await.body, "null");
    assert!(call(&app, "current_user", "", Some(&dept_b)).await.body.contains("教育局填报员"));

    // Content writes before the targets are approved: who is refused outright (401 / 403), who
    // reaches the rules (422: not yet open, nothing to decide), who may write (200). A forged
    // indicator of another department is refused like any other of its projects.
    let writes: [(&str, [S; 5]); 19] = [
        // 新建项目 and the indicator tree: no 2030 year, a 二级 not under its 一级, stale versions
        // and a blank name reach the rules only for those who may declare project 1.
        (
            "create_project year=2030&name=新项目&overall_goal=&annual_goals=",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "add_indicator project_id=1&level1=产出指标&level2=社会效益指标&name=新指标&target_text=1个",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "remove_indicator indicator_id=1&expected_version=99",
            [S::UNAUTHORIZED, S::CONFLICT, S::FORBIDDEN, S::FORBIDDEN, S::CONFLICT],
        ),
        (
            "move_indicator indicator_id=1&up=true&expected_version=99",
            [S::UNAUTHORIZED, S::CONFLICT, S::FORBIDDEN, S::FORBIDDEN, S::CONFLICT],
        ),
        (
            "save_header project_id=1&name=&overall_goal=&annual_goals=&expected_version=0",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "add_library_entry level1=产出指标&level2=数量指标&name=测试条目&unit=个&example=1个",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (
            "delete_library_entry id=1&expected_version=99",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::CONFLICT],
        ),
        // No 2022 year yet: its department and the admin reach the rule, the others are refused.
        (
            "copy_project project_id=1",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        // Unchanged content: allowed for the project's department and the admin, a no-op.
        (
            "save_indicator indicator_id=1&target_text=1座&weight=3&expected_version=0",
            [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (
            "save_monitoring indicator_id=1&progress=x&likelihood=certain&expected_version=0",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "save_monitoring_funds project_id=1&executed_jan_jul=1&expected_version=0",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "save_actual indicator_id=1&actual_text=1座&expected_version=0",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "save_year_end_funds project_id=1&budget_full_year=10&expected_version=0",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "propose_adjustment project_id=1&indicator_id=1&target_text=2座&reason=x",
            [S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY],
        ),
        (
            "decide_adjustment version_id=999&approve=true",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::NOT_FOUND, S::NOT_FOUND],
        ),
        (
            "rescore indicator_id=1&score=1&reason=x",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY, S::UNPROCESSABLE_ENTITY],
        ),
        ("add_comment indicator_id=1&body=请补充说明", [S::UNAUTHORIZED, S::OK, S::FORBIDDEN, S::OK, S::OK]),
        (
            "create_fiscal_year year=2030&profile=national",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        ("create_department name=新单位", [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK]),
    ];
    for (what, expected) in writes {
        let (name, body) = what.split_once(' ').unwrap();
        for ((who, cookie), want) in actors.iter().zip(expected) {
            let r = call(&app, name, body, *cookie).await;
            assert_eq!(r.status, want, "{name} as {who}: {}", r.body);
        }
    }
    let admin_writes: [(&str, [S; 5]); 4] = [
        (
            "set_scoring_profile fiscal_year_id=1&profile=national",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (
            "set_deadlines fiscal_year_id=1&declaration=2021-03-31&monitoring=&self_evaluation=",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (
            "create_account username=newuser&display_name=新用户&password=new-user-pass-1&role=finance",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
        (
            "set_account_active user_id=5&active=false&expected_version=0",
            [S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK],
        ),
    ];
    for (what, expected) in admin_writes {
        let (name, body) = what.split_once(' ').unwrap();
        for ((who, cookie), want) in actors.iter().zip(expected) {
            let r = call(&app, name, body, *cookie).await;
            assert_eq!(r.status, want, "{name} as {who}: {}", r.body);
        }
    }
    // The refused writes changed nothing: two comments (dept A, finance, admin = three), one
    // year, one department, and only the admin's account changes in the log.
    use domain::vocab::{AuditAction, EntityKind, Field};
    let log = db::store::audit::all(&app.db.db).await.unwrap();
    assert_eq!(log.iter().filter(|l| l.entity.0 == EntityKind::Comment).count(), 3);
    assert_eq!(
        log.iter()
            .filter(|l| l.entity.0 == EntityKind::FiscalYear && l.field.map(|f| f.0) == Some(Field::Year))
            .count(),
        1
    );
    assert!(log
        .iter()
        .filter(|l| [EntityKind::FiscalYear, EntityKind::Department, EntityKind::User].contains(&l.entity.0)
            && !matches!(l.action.0, AuditAction::Login | AuditAction::LoginFailed))
        .all(|l| l.username == "admin"));

    // Writes: submitting project 1's declaration. Only its own department may; the refused
    // attempts change nothing (the version stays 0 until dept A submits).
    let submit = "project_id=1&phase=declaration&action=submit&expected_version=0";
    for (who, cookie, want) in [
        ("anonymous", None, S::UNAUTHORIZED),
        ("dept B", Some(dept_b.as_str()), S::FORBIDDEN),
        ("finance", Some(finance.as_str()), S::FORBIDDEN),
        ("admin", Some(admin.as_str()), S::FORBIDDEN),
    ] {
        let r = call(&app, "transition_phase", submit, cookie).await;
        assert_eq!(r.status, want, "submit as {who}: {}", r.body);
    }
    let r = call(&app, "transition_phase", submit, Some(&dept_a)).await;
    assert_eq!(r.status, S::OK, "{}", r.body);
    // Approving is finance's (or admin's), never the department's.
    let approve = "project_id=1&phase=declaration&action=approve&expected_version=1";
    for (who, cookie, want) in [("dept A", dept_a.as_str(), S::FORBIDDEN), ("dept B", dept_b.as_str(), S::FORBIDDEN)] {
        assert_eq!(call(&app, "transition_phase", approve, Some(cookie)).await.status, want, "approve as {who}");
    }
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn return_with_reason_resubmit_approve_and_audit() {
    let app = demo_app().await;
    let dept = login(&app, "akqi", "jixiao-akqi-2021").await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let t = |body: &str| body.to_owned();
    assert_eq!(
        call(
            &app,
            "transition_phase",
            &t("project_id=1&phase=declaration&action=submit&expected_version=0"),
            Some(&dept)
        )
        .await
        .status,
        StatusCode::OK
    );
    // A return needs a reason.
    let r = call(
        &app,
        "transition_phase",
        "project_id=1&phase=declaration&action=return&reason=&expected_version=1",
        Some(&finance),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("原因"), "{}", r.body);
    let r = call(
        &app,
        "transition_phase",
        "project_id=1&phase=declaration&action=return&reason=成本指标依据不足&expected_version=1",
        Some(&finance),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The department sees the reason.
    let r = call(&app, "get_workflow", "project_id=1", Some(&dept)).await;
    let phases: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(phases[0]["status"], "returned");
    assert_eq!(phases[0]["return_reason"], "成本指标依据不足");
    assert_eq!(phases[1]["available"], false);
    let page = get(&app, "/projects/1", Some(&dept)).await;
    assert!(page.body.contains("成本指标依据不足"));
    // A stale page cannot overwrite: version 1 is gone.
    let r =
        call(&app, "transition_phase", "project_id=1&phase=declaration&action=submit&expected_version=1", Some(&dept))
            .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("数据已被他人修改"));
    assert_eq!(
        call(&app, "transition_phase", "project_id=1&phase=declaration&action=submit&expected_version=2", Some(&dept))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        call(
            &app,
            "transition_phase",
            "project_id=1&phase=declaration&action=approve&expected_version=3",
            Some(&finance)
        )
        .await
        .status,
        StatusCode::OK
    );
    let phases: serde_json::Value =
        serde_json::from_str(&call(&app, "get_workflow", "project_id=1", Some(&dept)).await.body).unwrap();
    assert_eq!(phases[0]["status"], "approved");
    assert_eq!(phases[1]["available"], true);
    // The department cannot reopen an approved declaration; finance can, with a reason.
    assert_eq!(
        call(
            &app,
            "transition_phase",
            "project_id=1&phase=declaration&action=reopen&reason=x&expected_version=4",
            Some(&dept)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // The audit trail has every transition, with who and old → new; the CSV export too.
    let audit: serde_json::Value =
        serde_json::from_str(&call(&app, "get_audit", "project_id=1", Some(&dept)).await.body).unwrap();
    assert_eq!(audit["total"].as_u64(), audit["rows"].as_array().map(|r| r.len() as u64));
    let statuses: Vec<(String, String)> = audit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "status")
        .map(|r| (r["old_value"].as_str().unwrap_or("").to_owned(), r["new_value"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(statuses.len(), 4, "{audit}");
    assert_eq!(statuses[0], ("submitted".to_owned(), "approved".to_owned()));
    let csv = get(&app, "/projects/1/audit.csv", Some(&finance)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("caizheng") && csv.body.contains("成本指标依据不足") && csv.body.contains("已批复"));
    app.db.cleanup().await.unwrap();
}

/// The year's content over HTTP: a bad number is refused naming its field; targets are
/// approved, adjusted mid-year with a reason and approved by finance; monitoring and actuals
/// are saved with optimistic locking; the score shows on the list; finance re-scores.
#[tokio::test]
async fn cycle_content_over_http() {
    let app = demo_app().await;
    let dept = login(&app, "akqi", "jixiao-akqi-2021").await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let r = call(&app, "save_indicator", "indicator_id=1&target_text=1座&weight=三分&expected_version=0", Some(&dept))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("“分值”应为数字"), "{}", r.body);
    // A value outside a value set is a bad request naming the value; nothing is saved.
    for (name, body) in [
        ("save_indicator", "indicator_id=1&target_text=1座&weight=3&basis=拍脑袋&expected_version=0"),
        ("save_indicator", "indicator_id=1&target_text=1座&weight=3&direction=向上&expected_version=0"),
        ("save_monitoring", "indicator_id=1&progress=x&likelihood=也许&expected_version=0"),
        ("save_monitoring", "indicator_id=1&progress=x&deviation_category=天气&expected_version=0"),
        ("save_actual", "indicator_id=1&grade=很好&expected_version=0"),
        ("transition_phase", "project_id=1&phase=planning&action=submit&expected_version=0"),
        ("transition_phase", "project_id=1&phase=declaration&action=destroy&expected_version=0"),
    ] {
        let r = call(&app, name, body, Some(&dept)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{name} {body}: {}", r.body);
        assert!(r.body.contains("请求内容有误"), "{}", r.body);
    }
    let admin = login(&app, "admin", "jixiao-admin-2021").await;
    let r = call(&app, "create_fiscal_year", "year=2031&profile=provincial", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r =
        call(&app, "create_account", "username=x1&display_name=x&password=long-enough-1&role=superuser", Some(&admin))
            .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let audit: serde_json::Value =
        serde_json::from_str(&call(&app, "get_audit", "project_id=1", Some(&dept)).await.body).unwrap();
    assert_eq!(audit["rows"].as_array().map(Vec::len), Some(0), "refused requests changed nothing");
    assert_eq!(audit["total"], 0);
    let r = call(
        &app,
        "save_indicator",
        "indicator_id=1&target_text=1座&weight=3&basis=plan&core=true&expected_version=0",
        Some(&dept),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        call(&app, "transition_phase", "project_id=1&phase=declaration&action=submit&expected_version=0", Some(&dept))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        call(
            &app,
            "transition_phase",
            "project_id=1&phase=declaration&action=approve&expected_version=1",
            Some(&finance)
        )
        .await
        .status,
        StatusCode::OK
    );

    let r = call(
        &app,
        "propose_adjustment",
        "project_id=1&indicator_id=1&target_text=2座&weight=3&reason=新增LED屏一座",
        Some(&dept),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cycle: serde_json::Value =
        serde_json::from_str(&call(&app, "get_cycle", "project_id=1", Some(&finance)).await.body).unwrap();
    let pending = &cycle["versions"][0];
    assert_eq!((pending["state"].as_str(), pending["reason"].as_str()), (Some("pending"), Some("新增LED屏一座")));
    assert_eq!(cycle["permissions"]["decide_adjustment"], true);
    let id = pending["id"].as_i64().unwrap();
    let r = call(&app, "decide_adjustment", &format!("version_id={id}&approve=true&note=同意"), Some(&finance)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cycle: serde_json::Value =
        serde_json::from_str(&call(&app, "get_cycle", "project_id=1", Some(&dept)).await.body).unwrap();
    assert_eq!(cycle["indicators"][0]["target_text"], "2座");
    assert_eq!(cycle["versions"][0]["changes"][0][2], "2座（3分）");
    assert_eq!(cycle["permissions"]["edit_monitoring"], true);
    assert_eq!(cycle["permissions"]["decide_adjustment"], false);

    let r = call(
        &app,
        "save_monitoring",
        "indicator_id=1&progress=已完成一半&likelihood=possible&expected_version=0",
        Some(&dept),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r =
        call(&app, "save_monitoring", "indicator_id=1&progress=改&likelihood=certain&expected_version=0", Some(&dept))
            .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("数据已被他人修改"));
    let r = call(
        &app,
        "save_year_end_funds",
        "project_id=1&budget_full_year=10&executed_full_year=九&expected_version=1",
        Some(&dept),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("“全年执行数”应为数字"), "{}", r.body);
    let version = cycle["project_version"].as_i64().unwrap();
    let r = call(
        &app,
        "save_year_end_funds",
        &format!("project_id=1&budget_full_year=10&executed_full_year=9.5&expected_version={version}"),
        Some(&dept),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&app, "save_actual", "indicator_id=1&actual_text=2座&evidence=验收单&expected_version=0", Some(&dept))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list: serde_json::Value =
        serde_json::from_str(&call(&app, "list_projects", "", Some(&finance)).await.body).unwrap();
    let demo = list["selection"]["rows"].as_array().unwrap().iter().find(|p| p["id"] == 1).unwrap();
    assert_eq!(demo["statuses"][0], serde_json::json!(["declaration", "approved"]));
    assert!(demo["score"].is_string(), "{demo}");

    // Finance re-scores only while 财政复核中.
    let r = call(&app, "rescore", "indicator_id=1&score=1&reason=佐证不足", Some(&finance)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("财政复核中"), "{}", r.body);
    app.db.cleanup().await.unwrap();
}

/// Sign-in from one address: five wrong passwords for a name and that address waits, even with
/// the right password, with a message that is the same for real and unknown accounts; another
/// address signs in to the same account as usual (nobody can lock the admin out), and throttled
/// attempts write no audit rows.
#[tokio::test]
async fn login_is_throttled_per_address_and_name() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = demo_app().await;
    let from = |ip: &str, body: &str| {
        let mut req = Request::post(server_fn_path("login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        req
    };
    for name in ["admin", "no-such-user"] {
        for _ in 0..5 {
            let r = send(&app, from("203.0.113.7", &format!("username={name}&password=wrong-password"))).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(r.body.contains("用户名或密码错误"), "{}", r.body);
        }
    }
    let audit_rows = || db::entities::audit_log::Entity::find().count(&app.db.db);
    let before = audit_rows().await.unwrap();
    let admin = send(&app, from("203.0.113.7", "username=admin&password=jixiao-admin-2021")).await;
    let nobody = send(&app, from("203.0.113.7", "username=no-such-user&password=whatever")).await;
    for r in [&admin, &nobody] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("登录尝试过于频繁，请于15分钟后再试"), "{}", r.body);
        assert!(!r.body.contains("锁定") && !r.body.contains("账号"), "says nothing about the account: {}", r.body);
    }
    assert_eq!(admin.body, nobody.body, "a real and an unknown account look alike");
    assert!(admin.cookie.is_none());
    assert_eq!(audit_rows().await.unwrap(), before, "throttled attempts are not audited");
    // The admin at their own desk is not locked out.
    let r = send(&app, from("198.51.100.1", "username=admin&password=jixiao-admin-2021")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.cookie.is_some());
    app.db.cleanup().await.unwrap();
}

/// A session ends after its idle expiry (the stored expiry passes) and after the absolute expiry
/// (12 hours after login), whatever the activity.
#[tokio::test]
async fn sessions_expire_over_http() {
    use sea_orm::{ConnectionTrait, EntityTrait};
    let app = demo_app().await;
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::OK);
    // Idle expiry: the stored expiry has passed.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    db::entities::session::Entity::update_many()
        .col_expr(db::entities::session::Column::ExpiryDate, sea_orm::sea_query::Expr::value(past))
        .exec(&app.db.db)
        .await
        .unwrap();
    assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::FOUND, "sent to sign in again");

    // Absolute expiry: logged in 13 hours ago, however recently active.
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    assert_eq!(get(&app, "/", Some(&cookie)).await.status, StatusCode::OK);
    let rows = db::entities::session::Entity::find().all(&app.db.db).await.unwrap();
    let thirteen_hours_ago = chrono::Utc::now().timestamp() - 13 * 3600;
    for row in rows {
        // Edit the stored text: the record's id is a 128-bit number that a JSON round trip
        // through serde_json::Value would not keep.
        let Some(start) = row.data.find("\"login_at\":") else { continue };
        let value_start = start + "\"login_at\":".len();
        let value_end = value_start + row.data[value_start..].find(|c: char| !c.is_ascii_digit()).unwrap();
        let data = format!("{}{thirteen_hours_ago}{}", &row.data[..value_start], &row.data[value_end..]);
        {
            let sql = sea_orm::Statement::from_sql_and_values(
                app.db.db.get_database_backend(),
                match app.db.db.get_database_backend() {
                    sea_orm::DatabaseBackend::Postgres => "UPDATE session SET data = $1 WHERE id = $2",
                    _ => "UPDATE session SET data = ? WHERE id = ?",
                },
                [data.into(), row.id.clone().into()],
            );
            app.db.db.execute(sql).await.unwrap();
        }
    }
    let r = get(&app, "/", Some(&cookie)).await;
    assert_eq!((r.status, r.location.as_deref()), (StatusCode::FOUND, Some("/login")));
    assert_eq!(call(&app, "current_user", "", Some(&cookie)).await.body, "null");

    // A password reset (`jixiao user reset-password`) ends the sessions opened before it — on
    // every browser — while the new password signs in.
    let first = login(&app, "akqi", "jixiao-akqi-2021").await;
    let second = login(&app, "akqi", "jixiao-akqi-2021").await;
    let other = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    assert_eq!(get(&app, "/", Some(&first)).await.status, StatusCode::OK);
    db::accounts::reset_password(&app.db.db, "akqi", "a-new-pass-2026").await.unwrap();
    for cookie in [&first, &second] {
        assert_eq!(get(&app, "/", Some(cookie)).await.status, StatusCode::FOUND);
        assert_eq!(call(&app, "current_user", "", Some(cookie)).await.body, "null");
    }
    assert_eq!(get(&app, "/", Some(&other)).await.status, StatusCode::OK, "other accounts keep theirs");
    let fresh = login(&app, "akqi", "a-new-pass-2026").await;
    assert_eq!(get(&app, "/", Some(&fresh)).await.status, StatusCode::OK);
    app.db.cleanup().await.unwrap();
}

/// A signed-in user's browser posting from another site (a forged form, a sibling subdomain,
/// another port) or with a non-form body stores nothing; the same post from the site's own page
/// is stored.
#[tokio::test]
async fn cross_origin_and_non_form_writes_are_refused() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = demo_app().await;
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    let comments = || db::entities::indicator_comment::Entity::find().count(&app.db.db);
    let before = comments().await.unwrap();
    let post = |headers: &[(&str, &str)], body: &str| {
        let mut req = Request::post(server_fn_path("add_comment"))
            .header(header::COOKIE, cookie.as_str())
            .header(header::HOST, "127.0.0.1:3000");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.body(Body::from(body.to_owned())).unwrap()
    };
    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
    let body = "indicator_id=1&body=跨站写入";
    let refused = [
        (vec![FORM, ("origin", "http://evil.example")], StatusCode::FORBIDDEN),
        (vec![FORM, ("origin", "http://127.0.0.1:3001")], StatusCode::FORBIDDEN),
        (vec![FORM, ("sec-fetch-site", "same-site")], StatusCode::FORBIDDEN),
        (vec![("content-type", "text/plain"), ("origin", "http://127.0.0.1:3000")], StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (vec![("content-type", "text/plain")], StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ];
    for (headers, status) in refused {
        let r = send(&app, post(&headers, body)).await;
        assert_eq!(r.status, status, "{headers:?}: {}", r.body);
        assert!(r.body.contains("本系统的页面"), "{}", r.body);
        assert_eq!(comments().await.unwrap(), before, "{headers:?} stored a comment");
    }
    // Oversized: 413, not 500.
    let big = format!("indicator_id=1&body={}", "x".repeat(3 << 20));
    let r = send(&app, post(&[FORM, ("origin", "http://127.0.0.1:3000")], &big)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.len() < 200, "the refusal does not echo the body");
    assert_eq!(comments().await.unwrap(), before);
    // The site's own page.
    let own = [FORM, ("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "same-origin")];
    let r = send(&app, post(&own, "indicator_id=1&body=本站写入")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(comments().await.unwrap(), before + 1);
    app.db.cleanup().await.unwrap();
}

/// Pages carry a Content-Security-Policy whose nonce is the one on their scripts; every response
/// forbids framing and sniffing and keeps the referrer on the site.
#[tokio::test]
async fn responses_carry_security_headers() {
    let app = demo_app().await;
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    for uri in ["/login", "/", "/projects/1"] {
        let mut req = Request::get(uri).header("accept", "text/html");
        req = req.header(header::COOKIE, cookie.as_str());
        let res = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        let h = res.headers().clone();
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        assert_eq!(h["referrer-policy"], "same-origin", "{uri}");
        let csp = h["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{uri}: {csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce").to_owned();
        assert!(nonce.len() >= 16, "{csp}");
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        let html = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{uri}: the scripts carry the policy's nonce");
    }
    // Two responses, two nonces.
    let csp = |r: axum::response::Response| r.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let a = csp(app.router.clone().oneshot(Request::get("/login").body(Body::empty()).unwrap()).await.unwrap());
    let b = csp(app.router.clone().oneshot(Request::get("/login").body(Body::empty()).unwrap()).await.unwrap());
    assert_ne!(a, b);
    // Not a page: nothing may load.
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/projects/1/audit.csv").header(header::COOKIE, cookie.as_str()).body(Body::empty()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.headers()["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    app.db.cleanup().await.unwrap();
}

/// An anonymous visitor's failed login plants a username shaped like a formula; the audit CSV
/// shows it as text (leading apostrophe), so opening the file runs nothing.
#[tokio::test]
async fn audit_csv_neutralises_formulas() {
    let app = demo_app().await;
    let planted = "=HYPERLINK(\"http://evil.example\",\"x\")";
    let body = format!("username={}&password=wrong-password", urlencode(planted));
    let r = call(&app, "login", &body, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let admin = login(&app, "admin", "jixiao-admin-2021").await;
    let csv = get(&app, "/admin/audit.csv", Some(&admin)).await.body;
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "a formula cell went out raw: {line}");
        }
    }
    app.db.cleanup().await.unwrap();
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Expired sessions are deleted by the server's purge task; live ones stay.
#[tokio::test]
async fn expired_sessions_are_purged() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = demo_app().await;
    let _live = login(&app, "akqi", "jixiao-akqi-2021").await;
    let _old = login(&app, "caizheng", "jixiao-finance-2021").await;
    let sessions = || db::entities::session::Entity::find().count(&app.db.db);
    assert_eq!(sessions().await.unwrap(), 2);
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let newest = db::entities::session::Entity::find().all(&app.db.db).await.unwrap().into_iter().next().unwrap();
    db::entities::session::Entity::update_many()
        .col_expr(db::entities::session::Column::ExpiryDate, sea_orm::sea_query::Expr::value(past))
        .filter(db::entities::session::Column::Id.eq(newest.id.clone()))
        .exec(&app.db.db)
        .await
        .unwrap();
    let purge = jixiao::web::spawn_session_purge(app.db.db.clone(), std::time::Duration::from_millis(20));
    for _ in 0..100 {
        if sessions().await.unwrap() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    purge.abort();
    assert_eq!(sessions().await.unwrap(), 1, "the expired session is gone, the live one stays");
    app.db.cleanup().await.unwrap();
}

/// A long audit trail does not inflate the project page: it shows the newest 100 entries and
/// says how many there are; the CSV download still has every one.
#[tokio::test]
async fn project_page_shows_the_newest_audit_entries_only() {
    use domain::vocab::{AuditAction, EntityKind};
    let app = demo_app().await;
    for i in 0..250 {
        let entry = db::store::audit::AuditEntry {
            at: chrono::Utc::now(),
            user_id: None,
            username: "akqi".into(),
            entity: EntityKind::Project,
            entity_id: 1,
            project_id: Some(1),
            field: None,
            old_value: None,
            new_value: Some(format!("审计标记{i}")),
            action: AuditAction::Update,
        };
        db::store::audit::record(&app.db.db, entry).await.unwrap();
    }
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    let page = get(&app, "/projects/1", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let marks = page.body.matches("审计标记").count();
    // Each shown entry appears in the HTML and in the hydration data: 100 entries, at most twice.
    assert!((100..=200).contains(&marks), "{marks} audit entries inlined");
    assert!(page.body.contains("审计标记249"), "the newest are shown");
    assert!(!page.body.contains("审计标记149<") && !page.body.contains("审计标记149\""), "older ones are not");
    let total = db::store::audit::for_project(&app.db.db, 1).await.unwrap().len();
    assert!(page.body.contains(&format!("共 {total} 条，这里显示最新 100 条")), "the page says how many");
    let csv = get(&app, "/projects/1/audit.csv", Some(&cookie)).await.body;
    assert_eq!(csv.matches("审计标记").count(), 250);
    app.db.cleanup().await.unwrap();
}

/// A department user cannot inflate the project page with comments either: each indicator shows
/// its newest 20 and says how many there are; the audit CSV still has every one.
#[tokio::test]
async fn project_page_shows_the_newest_comments_only() {
    let app = demo_app().await;
    let user = db::store::users::by_username(&app.db.db, "akqi").await.unwrap().unwrap();
    let indicator = db::store::projects::indicators(&app.db.db, 1).await.unwrap()[0].id;
    for i in 0..120 {
        db::cycle::comments::add(&app.db.db, &user, indicator, &format!("意见标记{i}。")).await.unwrap();
    }
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    let page = get(&app, "/projects/1", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    // The 指标意见 section as rendered: the newest 20 (100–119), not the older ones. (The audit
    // panel, capped at its own 100 rows, records comments too.)
    let section =
        page.body.split("data-testid=\"comments\"").nth(1).and_then(|s| s.split("</section>").next()).unwrap();
    assert_eq!(section.matches("意见标记").count(), 20, "{section}");
    assert!(section.contains("意见标记119。") && section.contains("意见标记100。"), "the newest are shown");
    assert!(!section.contains("意见标记99。"), "older ones are not");
    assert!(section.contains("共 120 条意见，这里显示最新 20 条"), "the page says how many");
    let csv = get(&app, "/projects/1/audit.csv", Some(&cookie)).await.body;
    assert_eq!(csv.matches("意见标记").count(), 120);
    app.db.cleanup().await.unwrap();
}

/// Replaces timestamps ("2026-12-02 01:02:03", RFC 3339 with fractions) and script nonces, which
/// differ between two servers by nature, so pages can be compared.
fn mask_volatile(html: &str) -> String {
    // The response's nonce, wherever it appears (script nonces, crossorigin of preloads).
    let nonce = html.split("nonce=\"").nth(1).and_then(|s| s.split('"').next()).filter(|n| !n.is_empty());
    let html = match nonce {
        Some(n) => html.replace(n, "*"),
        None => html.to_owned(),
    };
    let b = html.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"nonce=\"") {
            out.extend_from_slice(b"nonce=\"*\"");
            i += 7;
            while i < b.len() && b[i] != b'"' {
                i += 1;
            }
            i += 1;
            continue;
        }
        let date = i + 19 <= b.len()
            && digits(&b[i..i + 4])
            && b[i + 4] == b'-'
            && digits(&b[i + 5..i + 7])
            && b[i + 7] == b'-'
            && digits(&b[i + 8..i + 10])
            && (b[i + 10] == b' ' || b[i + 10] == b'T')
            && digits(&b[i + 11..i + 13])
            && b[i + 13] == b':';
        if date {
            out.extend_from_slice(b"<time>");
            i += 19;
            if i < b.len() && b[i] == b'.' {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            for tail in [&b"Z"[..], b"+00:00"] {
                if b[i..].starts_with(tail) {
                    i += tail.len();
                }
            }
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// `migrate-data`'s copy from SQLite to PostgreSQL: every page then answers the same on both
/// (timestamps and nonces aside), a second copy into the filled database is refused, and new
/// rows on PostgreSQL continue after the copied ids.
#[tokio::test]
async fn data_copied_to_postgres_answers_every_page_identically() {
    let sqlite = demo_app().await;
    let akqi = login(&sqlite, "akqi", "jixiao-akqi-2021").await;
    let r = call(&sqlite, "add_comment", "indicator_id=1&body=迁移前的意见", Some(&akqi)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let pg = TestDb::postgres().await.unwrap();
    let copied = db::transfer::copy_all(&sqlite.db.db, &pg.db).await.unwrap();
    assert!(copied.tables.iter().any(|(t, n)| t == "audit_log" && *n > 0), "{copied:?}");
    let again = db::transfer::copy_all(&sqlite.db.db, &pg.db).await;
    assert!(matches!(again, Err(db::transfer::TransferError::TargetNotEmpty { .. })), "{again:?}");
    let pg = App { router: jixiao::web::router(pg.db.clone(), "target/site"), db: pg };

    let users = [
        ("akqi", "jixiao-akqi-2021"),
        ("jiaoyu", "jiaoyu-pass-1"),
        ("caizheng", "jixiao-finance-2021"),
        ("admin", "jixiao-admin-2021"),
    ];
    for (user, password) in users {
        let a = login(&sqlite, user, password).await;
        let b = login(&pg, user, password).await;
        for uri in ["/", "/projects/1", "/projects/2", "/admin", "/projects/1/audit.csv"] {
            let (ra, rb) = (get(&sqlite, uri, Some(&a)).await, get(&pg, uri, Some(&b)).await);
            assert_eq!(ra.status, rb.status, "{user} {uri}");
            let (ma, mb) = (mask_volatile(&ra.body), mask_volatile(&rb.body));
            if ma != mb {
                let at = ma.bytes().zip(mb.bytes()).position(|(x, y)| x != y).unwrap_or(0);
                let near = |s: &str| {
                    let start = (0..=at.saturating_sub(80)).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                    let end = ((at + 80).min(s.len())..=s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(s.len());
                    s[start..end].to_owned()
                };
                panic!("{user} {uri} differs at byte {at}:\nSQLite: {}\nPostgreSQL: {}", near(&ma), near(&mb));
            }
        }
    }
    let b = login(&pg, "akqi", "jixiao-akqi-2021").await;
    let r = call(&pg, "add_comment", "indicator_id=1&body=迁移后的意见", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK, "ids continue after the copied ones: {}", r.body);
    sqlite.db.cleanup().await.unwrap();
    pg.db.cleanup().await.unwrap();
}

/// Every table but sessions, as text: two equal snapshots mean nothing was stored or changed.
async fn snapshot(db: &db::DatabaseConnection) -> String {
    use db::entities::*;
    use sea_orm::{EntityTrait, QueryOrder};
    macro_rules! dump {
        ($($e:ident),*) => {{
            let mut out = String::new();
            $(
                let rows = $e::Entity::find().order_by_asc($e::Column::Id).all(db).await.unwrap();
                out.push_str(&format!("{}: {:?}\n", stringify!($e), rows));
            )*
            out
        }};
    }
    dump!(
        department,
        fiscal_year,
        user,
        project,
        project_phase,
        indicator,
        target_version,
        target_version_item,
        monitoring_entry,
        actual_entry,
        review_score,
        indicator_comment,
        audit_log
    )
}

/// Hostile input over every server function and route: control characters, invalid UTF-8,
/// huge, negative, NaN and "1e400" numbers, forged ids, stale and future versions, unknown
/// value-set keys, missing and duplicated fields, other departments' data, path tricks. Each is
/// answered 4xx with a short message, and the database is unchanged (compared as a whole).
async fn hostile_input(t: TestDb) {
    let app = demo_app_on(t).await;
    let dept = login(&app, "akqi", "jixiao-akqi-2021").await;
    let admin = login(&app, "admin", "jixiao-admin-2021").await;
    let admin_id = db::store::users::by_username(&app.db.db, "admin").await.unwrap().unwrap().id;
    let other = db::store::projects::indicators(&app.db.db, 2).await.unwrap()[0].id;
    let before = snapshot(&app.db.db).await;
    let long = "长".repeat(20_000);
    let nul = "1%00座";
    let bell = "%07";
    let bad_utf8 = "%FF%FE%FD";
    let dept_cases: Vec<(&str, String)> = vec![
        ("save_indicator", format!("indicator_id=1&target_text={nul}&expected_version=0")),
        ("save_indicator", format!("indicator_id=1&target_text=1{bell}座&expected_version=0")),
        ("save_indicator", format!("indicator_id=1&target_text={long}&expected_version=0")),
        ("save_indicator", "indicator_id=1&target_text=1座&weight=1e400&expected_version=0".into()),
        ("save_indicator", "indicator_id=1&target_text=1座&weight=NaN&expected_version=0".into()),
        ("save_indicator", "indicator_id=1&target_text=1座&weight=-3&expected_version=0".into()),
        (
            "save_indicator",
            "indicator_id=1&target_text=1座&weight=99999999999999999999999999999999999&expected_version=0".into(),
        ),
        ("save_indicator", "indicator_id=999999&target_text=1座&expected_version=0".into()),
        ("save_indicator", "indicator_id=-1&target_text=1座&expected_version=0".into()),
        ("save_indicator", "indicator_id=abc&target_text=1座&expected_version=0".into()),
        ("save_indicator", "target_text=1座&expected_version=0".into()),
        ("save_indicator", "indicator_id=1&target_text=1座&expected_version=abc".into()),
        ("save_indicator", "indicator_id=1&target_text=2座&expected_version=999".into()),
        ("save_indicator", "indicator_id=1&target_text=2座&expected_version=-5".into()),
        ("save_indicator", "indicator_id=1&target_text=2座&expected_version=2147483648".into()),
        ("save_indicator", "indicator_id=1&target_text=1座&direction=sideways&expected_version=0".into()),
        ("save_indicator", "indicator_id=1&target_text=1座&basis=rumour&expected_version=0".into()),
        ("save_indicator", "indicator_id=1&target_text=1座&core=maybe&expected_version=0".into()),
        ("save_indicator", format!("indicator_id={other}&target_text=2座&expected_version=0")),
        ("save_indicator", format!("indicator_id=1&target_text={bad_utf8}&expected_version=0")),
        ("save_indicator", "indicator_id=1&indicator_id=2&target_text=2座&expected_version=0".into()),
        ("save_monitoring", "indicator_id=1&likelihood=sure&expected_version=0".into()),
        ("save_monitoring", format!("indicator_id=1&progress={nul}&likelihood=certain&expected_version=0")),
        ("save_actual", "indicator_id=1&actual_text=-1条&expected_version=0".into()),
        ("save_actual", "indicator_id=1&grade=superb&expected_version=0".into()),
        ("save_actual", "indicator_id=1&grade_score=1e400&expected_version=0".into()),
        ("add_comment", "indicator_id=1&body=".into()),
        ("add_comment", "indicator_id=1&body=%20%20%20".into()),
        ("add_comment", format!("indicator_id=1&body={long}")),
        ("add_comment", format!("indicator_id=1&body={nul}")),
        ("add_comment", "indicator_id=0&body=正常意见".into()),
        ("add_comment", format!("indicator_id=1&body={bad_utf8}")),
        ("add_comment", format!("indicator_id={other}&body=越权意见")),
        ("rescore", "indicator_id=1&score=5&reason=部门自己复核".into()),
        ("rescore", "indicator_id=1&score=NaN&reason=x".into()),
        ("propose_adjustment", "project_id=1&indicator_id=1&target_text=**&reason=调整".into()),
        ("propose_adjustment", format!("project_id=1&indicator_id=1&target_text=2座&reason={long}")),
        ("propose_adjustment", format!("project_id=2&indicator_id={other}&target_text=2座&reason=越权")),
        ("propose_adjustment", format!("project_id=1&indicator_id={other}&target_text=2座&reason=错配")),
        ("decide_adjustment", "version_id=1&approve=true".into()),
        ("decide_adjustment", "version_id=1&approve=perhaps".into()),
        ("save_monitoring_funds", "project_id=1&executed_jan_jul=-5&expected_version=0".into()),
        ("save_monitoring_funds", "project_id=1&executed_jan_jul=1e400&expected_version=0".into()),
        ("save_monitoring_funds", "project_id=2&executed_jan_jul=5&expected_version=0".into()),
        ("save_year_end_funds", "project_id=1&budget_initial=NaN&expected_version=0".into()),
        ("save_year_end_funds", format!("project_id=1&execution_explanation={long}&expected_version=0")),
        ("save_year_end_funds", "project_id=1&budget_initial=5&expected_version=2147483648".into()),
        ("transition_phase", "project_id=1&phase=planning&action=submit&expected_version=0".into()),
        ("transition_phase", "project_id=1&phase=declaration&action=destroy&expected_version=0".into()),
        ("transition_phase", "project_id=1&phase=declaration&action=approve&expected_version=0".into()),
        ("transition_phase", "project_id=2&phase=declaration&action=submit&expected_version=0".into()),
        ("transition_phase", "project_id=1&phase=declaration&action=submit&expected_version=77".into()),
        ("get_cycle", "project_id=2".into()),
        ("get_cycle", "project_id=99999".into()),
        ("get_project", "id=2".into()),
        ("get_audit", "project_id=2".into()),
        ("get_workflow", "project_id=2".into()),
        ("get_admin", String::new()),
        ("create_fiscal_year", "year=2030&profile=provincial".into()),
        ("create_department", "name=黑客部门".into()),
        ("create_account", "username=mallory&display_name=x&password=mallory-pass-1&role=admin".into()),
        ("set_account_active", format!("user_id={admin_id}&active=false&expected_version=0")),
    ];
    let admin_cases: Vec<(&str, String)> = vec![
        ("create_fiscal_year", "year=99999&profile=provincial".into()),
        ("create_fiscal_year", "year=2031&profile=unknown".into()),
        ("create_department", format!("name={nul}")),
        ("create_department", "name=".into()),
        ("create_department", "name=新部门&parent_id=99999".into()),
        ("create_account", "username=a%20b&display_name=x&password=good-pass-1&role=finance".into()),
        ("create_account", "username=carol&display_name=x&password=short1&role=finance".into()),
        ("create_account", "username=carol&display_name=x&password=good-pass-1&role=department".into()),
        ("create_account", "username=AKQI&display_name=x&password=good-pass-1&role=finance".into()),
        ("create_account", "username=ａｋｑｉ&display_name=x&password=good-pass-1&role=finance".into()),
        ("set_account_active", "user_id=99999&active=false&expected_version=0".into()),
        ("set_account_active", format!("user_id={admin_id}&active=false&expected_version=0")),
        ("rescore", "indicator_id=1&score=1e400&reason=x".into()),
        ("decide_adjustment", "version_id=99999&approve=true".into()),
    ];
    let mut checked = 0;
    for (cookie, cases) in [(&dept, &dept_cases), (&admin, &admin_cases)] {
        for (name, body) in cases {
            let r = call(&app, name, body, Some(cookie)).await;
            let shown: String = body.chars().take(80).collect();
            assert!(r.status.is_client_error(), "{name} {shown}: {} {}", r.status, r.body);
            assert!(r.body.len() < 1000, "{name} {shown}: the answer echoes the input ({} bytes)", r.body.len());
            assert!(r.body.contains("message"), "{name} {shown}: {}", r.body);
            checked += 1;
        }
    }
    let routes = [
        "/projects/2/audit.csv",
        "/projects/..%2F..%2Fetc%2Fpasswd/audit.csv",
        "/projects/1%00/audit.csv",
        "/projects/abc",
        "/projects/99999999999999999999",
        "/pkg/..%2F..%2FCargo.toml",
        "/pkg/../../Cargo.toml",
        "/admin/audit.csv",
    ];
    for uri in routes {
        let r = get(&app, uri, Some(&dept)).await;
        assert!(r.status.is_client_error(), "GET {uri}: {}", r.status);
        assert!(!r.body.contains("[workspace]") && !r.body.contains("root:"), "GET {uri} leaks a file");
        checked += 1;
    }
    assert!(checked >= 80, "{checked} cases");
    assert!(snapshot(&app.db.db).await == before, "a refused request changed the database");
    app.db.cleanup().await.unwrap();
}

#[tokio::test]
async fn hostile_input_sqlite() {
    hostile_input(TestDb::sqlite().await.unwrap()).await;
}

#[tokio::test]
async fn hostile_input_postgres() {
    hostile_input(TestDb::postgres().await.unwrap()).await;
}

async fn send_raw(app: &App, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap().to_vec())
}

fn upload(uri: &str, cookie: Option<&str>, file_name: &str, bytes: &[u8]) -> Request<Body> {
    upload_with(uri, cookie, file_name, bytes, &[])
}

/// A multipart upload of `bytes` as the field `file`, after the form `fields`.
fn upload_with(
    uri: &str,
    cookie: Option<&str>,
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Request<Body> {
    let boundary = "jixiaoBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend(format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = Request::post(uri).header("content-type", format!("multipart/form-data; boundary={boundary}"));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

/// The template download, the upload's preview and commit, the import's report and its revert
/// over HTTP, each refused to whoever may not: anonymous visitors, another department, a file
/// that is not the previewed one, a body over the limit.
#[tokio::test]
async fn spreadsheet_files_over_http() {
    use db::cycle::transition;
    use domain::workflow::{Action, Phase, SubmitCheck};
    let app = demo_app().await;
    let db = app.db.db.clone();
    let akqi = login(&app, "akqi", "jixiao-akqi-2021").await;
    let jiaoyu = login(&app, "jiaoyu", "jiaoyu-pass-1").await;

    let mut req = Request::get("/export/template.xlsx?project=1");
    req = req.header(header::COOKIE, &akqi);
    let (status, headers, bytes) = send_raw(&app, req.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"PK"));
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"), "{disposition}");
    let dept = db::store::projects::one(&db, 1).await.unwrap().unwrap().project.department_id;
    for (uri, cookie, expected) in [
        ("/export/template.xlsx?project=1".to_owned(), None, StatusCode::UNAUTHORIZED),
        ("/export/template.xlsx?project=1".to_owned(), Some(&jiaoyu), StatusCode::FORBIDDEN),
        (format!("/export/template.xlsx?department={dept}&year=2021"), Some(&jiaoyu), StatusCode::FORBIDDEN),
        (format!("/export/template.xlsx?department={dept}&year=2021"), Some(&akqi), StatusCode::OK),
        ("/export/template.xlsx".to_owned(), Some(&akqi), StatusCode::BAD_REQUEST),
    ] {
        let mut req = Request::get(uri.as_str());
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c.as_str());
        }
        let (status, _, _) = send_raw(&app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(status, expected, "{uri}");
    }

    // Targets approved, then a filled template.
    let user = |name: &'static str| {
        let db = db.clone();
        async move { db::store::users::by_username(&db, name).await.unwrap().unwrap() }
    };
    let (dept_user, finance) = (user("akqi").await, user("caizheng").await);
    let passed = SubmitCheck::passed();
    for (u, action) in [(&dept_user, Action::Submit), (&finance, Action::Approve)] {
        let actor = db::accounts::actor(u);
        transition::apply(&db, &actor, u, 1, Phase::Declaration, &action, Some(&passed), None).await.unwrap();
    }
    let mut projects = sheets::template::load(&db, &dept_user, sheets::template::Scope::Project(1)).await.unwrap();
    for ind in projects[0].indicators.iter_mut().take(2) {
        ind.actual = Some(ind.target.trim_start_matches(['≥', '≤', '=']).to_owned());
    }
    let filled = sheets::template::selfeval_workbook(&projects, 2021).unwrap();

    let reply = send(&app, upload("/import/actuals", Some(&akqi), "自评表.xlsx", &filled)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let preview: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["counts"]["rows_changed"], 2);
    assert_eq!(preview["file_name"], "自评表.xlsx");
    let sha = preview["sha256"].as_str().unwrap().to_owned();

    let refused = [
        (upload("/import/actuals", None, "a.xlsx", &filled), StatusCode::UNAUTHORIZED, "请先登录"),
        (
            upload("/import/actuals?commit=0000", Some(&akqi), "a.xlsx", &filled),
            StatusCode::UNPROCESSABLE_ENTITY,
            "与预览时的不同",
        ),
        (
            upload("/import/actuals", Some(&akqi), "a.pdf", b"%PDF-1.7"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不是电子表格文件",
        ),
    ];
    for (req, status, message) in refused {
        let reply = send(&app, req).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(reply.body.contains(message), "{}", reply.body);
    }
    let mut big = upload("/import/actuals", Some(&akqi), "a.xlsx", b"PK");
    big.headers_mut().insert(header::CONTENT_LENGTH, (30u64 << 20).into());
    let reply = send(&app, big).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "refused before the body is read: {}", reply.body);
    // Another department's rows are refused and nothing is stored.
    let reply = send(&app, upload("/import/actuals", Some(&jiaoyu), "a.xlsx", &filled)).await;
    let other: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(other["committed"], false);
    assert!(other["problems"][0]["message"].as_str().unwrap().contains("无权导入"));

    let reply = send(&app, upload(&format!("/import/actuals?commit={sha}"), Some(&akqi), "自评表.xlsx", &filled)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(done["committed"], true);
    let id = done["import_id"].as_i64().unwrap();

    let history = call(&app, "import_history", "", Some(&akqi)).await;
    assert!(history.body.contains("自评表.xlsx") && history.body.contains(&sha), "{}", history.body);
    assert_eq!(call(&app, "import_history", "", Some(&jiaoyu)).await.body, "[]");
    let report = get(&app, &format!("/imports/{id}/report.json"), Some(&akqi)).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains(&sha));
    assert_eq!(get(&app, &format!("/imports/{id}/report.json"), Some(&jiaoyu)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, "revert_import", &format!("id={id}"), Some(&jiaoyu)).await.status, StatusCode::NOT_FOUND);
    let reverted = call(&app, "revert_import", &format!("id={id}"), Some(&akqi)).await;
    assert_eq!(reverted.status, StatusCode::OK, "{}", reverted.body);
    assert!(reverted.body.contains("\"committed\":true"), "{}", reverted.body);
    let page = get(&app, "/imports", Some(&akqi)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("年终实际完成值") && page.body.contains("由 akqi 撤销"), "{}", page.body);
}

/// The 运行监控表 template and its upload over HTTP: downloaded per project with `kind=monitoring`
/// (refused to another department, an unknown kind refused), filled, previewed and committed
/// through `/import/actuals`, listed in the history as 运行监控情况.
#[tokio::test]
async fn monitoring_template_over_http() {
    use db::cycle::transition;
    use domain::workflow::{Action, Phase, SubmitCheck};
    let app = demo_app().await;
    let db = app.db.db.clone();
    let akqi = login(&app, "akqi", "jixiao-akqi-2021").await;
    let jiaoyu = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    let uri = "/export/template.xlsx?project=1&kind=monitoring";
    let req = Request::get(uri).header(header::COOKIE, &akqi).body(Body::empty()).unwrap();
    let (status, headers, bytes) = send_raw(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("monitoring-2021.xlsx"), "{disposition}");
    let parsed = sheets::actuals::read(&bytes, &sheets::Limits::default()).unwrap();
    assert_eq!(parsed.kind, domain::vocab::ImportKind::Monitoring);
    for (uri, cookie, expected) in [
        (uri, &jiaoyu, StatusCode::FORBIDDEN),
        ("/export/template.xlsx?project=1&kind=bogus", &akqi, StatusCode::BAD_REQUEST),
    ] {
        let req = Request::get(uri).header(header::COOKIE, cookie.as_str()).body(Body::empty()).unwrap();
        assert_eq!(send_raw(&app, req).await.0, expected, "{uri}");
    }

    let user = |name: &'static str| {
        let db = db.clone();
        async move { db::store::users::by_username(&db, name).await.unwrap().unwrap() }
    };
    let (dept_user, finance) = (user("akqi").await, user("caizheng").await);
    let passed = SubmitCheck::passed();
    for (u, action) in [(&dept_user, Action::Submit), (&finance, Action::Approve)] {
        let actor = db::accounts::actor(u);
        transition::apply(&db, &actor, u, 1, Phase::Declaration, &action, Some(&passed), None).await.unwrap();
    }
    let mut projects = sheets::template::load(&db, &dept_user, sheets::template::Scope::Project(1)).await.unwrap();
    projects[0].executed_jan_jul = "3.5".parse().ok();
    for ind in projects[0].indicators.iter_mut().take(3) {
        ind.monitoring.progress = Some("按计划推进".to_owned());
        ind.monitoring.likelihood = Some(domain::vocab::Likelihood::Certain);
    }
    let filled = sheets::template::workbook(domain::vocab::TemplateKind::Monitoring, &projects, 2021).unwrap();
    let reply = send(&app, upload("/import/actuals", Some(&akqi), "监控表.xlsx", &filled)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let preview: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(preview["kind"], "monitoring");
    assert_eq!(preview["counts"]["rows_changed"], 4, "three indicators and the funds");
    assert_eq!(preview["monitoring"][0]["new"]["likelihood"], "certain");
    let sha = preview["sha256"].as_str().unwrap();
    // The browser asks for the streamed answer: progress lines as rows are matched and written,
    // then the same report; never compressed, so that the lines are not held back.
    let mut req = upload("/import/actuals", Some(&akqi), "监控表.xlsx", &filled);
    req.headers_mut().insert(header::ACCEPT, "application/x-ndjson, application/json".parse().unwrap());
    req.headers_mut().insert(header::ACCEPT_ENCODING, "gzip, br".parse().unwrap());
    let (status, headers, body) = send_raw(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/x-ndjson");
    assert!(headers.get(header::CONTENT_ENCODING).is_none(), "{headers:?}");
    let lines: Vec<serde_json::Value> =
        String::from_utf8(body.to_vec()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let steps: Vec<(u64, u64)> = lines
        .iter()
        .filter_map(|l| Some((l["progress"]["done"].as_u64()?, l["progress"]["total"].as_u64()?)))
        .collect();
    assert!(steps.len() >= 10, "{steps:?}");
    assert!(steps.windows(2).all(|w| w[0].0 < w[1].0) && steps.iter().all(|s| s.1 == 2 * 17), "{steps:?}");
    assert_eq!(lines.last().unwrap()["done"], preview, "the streamed report is the plain one");
    let other = send(&app, upload("/import/actuals", Some(&jiaoyu), "监控表.xlsx", &filled)).await;
    assert!(other.body.contains("无权导入") && other.body.contains("\"committed\":false"), "{}", other.body);
    let reply = send(&app, upload(&format!("/import/actuals?commit={sha}"), Some(&akqi), "监控表.xlsx", &filled)).await;
    assert!(reply.body.contains("\"committed\":true"), "{}", reply.body);
    let stored = db::store::monitoring::of_project(&db, 1).await.unwrap();
    assert_eq!(stored.iter().filter(|e| e.progress.as_deref() == Some("按计划推进")).count(), 3);
    let p = db::store::projects::one(&db, 1).await.unwrap().unwrap().project;
    assert_eq!(p.executed_jan_jul.map(|a| a.0.normalize().to_string()), Some("3.5".to_owned()));
    let page = get(&app, "/imports", Some(&akqi)).await;
    assert!(page.body.contains("运行监控情况") && page.body.contains("monitoring-template-link"), "{}", page.body);
}

/// 导入绩效目标表 over HTTP: a department previews a published table and commits it as a new
/// draft project of its own; anonymous visitors, the 财政局, a forged department, a file other
/// than the previewed one and a file that is no table are refused, and nothing is written.
#[tokio::test]
async fn target_tables_over_http() {
    let app = demo_app().await;
    let db = app.db.db.clone();
    let akqi = login(&app, "akqi", "jixiao-akqi-2021").await;
    let jiaoyu = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let text = include_str!("../../fixtures/000_a24f108f427dffbb.txt")
        .replace("政府网站维护费及业务经费", "政务新媒体运维经费");
    let year = [("year", "2021")];
    let before = db::store::projects::count(&db).await.unwrap();

    let reply = send(&app, upload_with("/import/targets", Some(&akqi), "目标表.txt", text.as_bytes(), &year)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let preview: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(preview["committed"], false);
    assert_eq!(preview["department"], "阿合奇县电子政务办公室");
    assert_eq!(preview["projects"][0]["name"], "政务新媒体运维经费");
    assert_eq!(preview["projects"][0]["rows"].as_array().unwrap().len(), 17);
    let sha = preview["sha256"].as_str().unwrap().to_owned();
    assert_eq!(db::store::projects::count(&db).await.unwrap(), before, "a preview writes nothing");

    let other_department = db::store::projects::one(&db, 2).await.unwrap().unwrap().project.department_id.to_string();
    for (req, status, message) in [
        (upload_with("/import/targets", None, "a.txt", text.as_bytes(), &year), StatusCode::UNAUTHORIZED, "请先登录"),
        (upload_with("/import/targets", Some(&finance), "a.txt", text.as_bytes(), &year), StatusCode::FORBIDDEN, ""),
        (
            upload_with(
                "/import/targets",
                Some(&akqi),
                "a.txt",
                text.as_bytes(),
                &[("year", "2021"), ("department_id", &other_department)],
            ),
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            upload_with("/import/targets", Some(&akqi), "a.txt", text.as_bytes(), &[]),
            StatusCode::BAD_REQUEST,
            "请选择年度",
        ),
        (
            upload_with("/import/targets?commit=0000", Some(&akqi), "a.txt", text.as_bytes(), &year),
            StatusCode::UNPROCESSABLE_ENTITY,
            "与预览时的不同",
        ),
        (
            upload_with("/import/targets", Some(&akqi), "a.pdf", b"%PDF-1.7\x00\x01", &year),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不是表格或 Word 文件",
        ),
        (
            upload_with("/import/targets", Some(&akqi), "a.txt", "只是一段文字".as_bytes(), &year),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
    ] {
        let reply = send(&app, req).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(reply.body.contains(message), "{}", reply.body);
    }
    assert_eq!(db::store::projects::count(&db).await.unwrap(), before);

    let reply = send(
        &app,
        upload_with(&format!("/import/targets?commit={sha}"), Some(&akqi), "目标表.txt", text.as_bytes(), &year),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(done["committed"], true);
    let id = done["projects"][0]["project_id"].as_i64().unwrap();
    let page = get(&app, &format!("/projects/{id}"), Some(&akqi)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("政务新媒体运维经费") && page.body.contains("维护网站数量"));
    assert_eq!(get(&app, &format!("/projects/{id}"), Some(&jiaoyu)).await.status, StatusCode::FORBIDDEN);
    app.db.cleanup().await.unwrap();
}

/// The documents over HTTP (`/export/{document}.{format}`): each for whoever may read it, refused
/// to anonymous visitors, to another department's user whatever id they forge, and the county to
/// department users; an unknown document or a wrong scope is a 400 with the reason.
#[tokio::test]
async fn document_downloads_over_http() {
    let app = demo_app().await;
    let db = app.db.db.clone();
    let akqi = login(&app, "akqi", "jixiao-akqi-2021").await;
    let jiaoyu = login(&app, "jiaoyu", "jiaoyu-pass-1").await;
    let finance = login(&app, "caizheng", "jixiao-finance-2021").await;
    let dept = db::store::projects::one(&db, 1).await.unwrap().unwrap().project.department_id;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let pdf = "application/pdf";
    for (uri, cookie, expected, content_type) in [
        ("/export/selfeval.xlsx?project=1".to_owned(), Some(&akqi), StatusCode::OK, Some(xlsx)),
        ("/export/targets.xlsx?project=1".to_owned(), Some(&akqi), StatusCode::OK, Some(xlsx)),
        ("/export/report.docx?project=1".to_owned(), Some(&akqi), StatusCode::OK, Some(docx)),
        (format!("/export/summary.xlsx?department={dept}&year=2021"), Some(&akqi), StatusCode::OK, Some(xlsx)),
        (format!("/export/selfeval.xlsx?department={dept}&year=2021"), Some(&akqi), StatusCode::OK, Some(xlsx)),
        ("/export/summary.xlsx?year=2021".to_owned(), Some(&finance), StatusCode::OK, Some(xlsx)),
        ("/export/report.docx?project=1".to_owned(), Some(&finance), StatusCode::OK, Some(docx)),
        ("/export/report.pdf?project=1".to_owned(), Some(&akqi), StatusCode::OK, Some(pdf)),
        ("/export/report.pdf?project=1".to_owned(), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        ("/export/summary.pdf?year=2021".to_owned(), Some(&finance), StatusCode::BAD_REQUEST, None),
        ("/export/report.docx?project=1".to_owned(), None, StatusCode::UNAUTHORIZED, None),
        ("/export/report.docx?project=1".to_owned(), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        ("/export/selfeval.xlsx?project=1".to_owned(), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        ("/export/targets.xlsx?project=1".to_owned(), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        (format!("/export/summary.xlsx?department={dept}&year=2021"), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        (format!("/export/selfeval.xlsx?department={dept}&year=2021"), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        ("/export/summary.xlsx?year=2021".to_owned(), Some(&akqi), StatusCode::FORBIDDEN, None),
        ("/export/selfeval.xlsx?year=2021".to_owned(), Some(&jiaoyu), StatusCode::FORBIDDEN, None),
        ("/export/report.docx?project=999".to_owned(), Some(&finance), StatusCode::NOT_FOUND, None),
        ("/export/summary.xlsx?project=1".to_owned(), Some(&akqi), StatusCode::BAD_REQUEST, None),
        ("/export/report.xlsx?project=1".to_owned(), Some(&akqi), StatusCode::BAD_REQUEST, None),
        ("/export/secrets.xlsx?project=1".to_owned(), Some(&akqi), StatusCode::BAD_REQUEST, None),
        ("/export/report.docx".to_owned(), Some(&akqi), StatusCode::BAD_REQUEST, None),
    ] {
        let mut req = Request::get(uri.as_str());
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c.as_str());
        }
        let (status, headers, bytes) = send_raw(&app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(status, expected, "{uri}: {}", String::from_utf8_lossy(&bytes));
        if let Some(content_type) = content_type {
            assert_eq!(headers[header::CONTENT_TYPE], content_type, "{uri}");
            assert!(bytes.starts_with(if content_type == pdf { b"%PDF" } else { b"PK" }), "{uri}");
            let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
            assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        } else if status == StatusCode::FORBIDDEN {
            assert!(!String::from_utf8_lossy(&bytes).contains("政府网站"), "a refusal says nothing about the project");
        }
    }
    let (_, _, bytes) = send_raw(
        &app,
        Request::get("/export/summary.xlsx?project=1")
            .header(header::COOKIE, akqi.as_str())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(String::from_utf8_lossy(&bytes).contains("汇总表按部门或全县导出"));
}

/// The bundle under /pkg is served as its precompressed twin when the browser accepts it, with
/// the right Content-Encoding and the original Content-Type; without twins or with no
/// Accept-Encoding it is the plain file, and a missing file is 404.
#[tokio::test]
async fn bundle_served_precompressed() {
    let site = std::env::temp_dir().join(format!("jixiao-site-{}", std::process::id()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("jixiao.wasm"), b"\0asm plain").unwrap();
    std::fs::write(pkg.join("jixiao.wasm.br"), b"brotli twin").unwrap();
    std::fs::write(pkg.join("jixiao.wasm.gz"), b"gzip twin").unwrap();
    std::fs::write(pkg.join("jixiao.css"), b"body{}").unwrap();
    let t = TestDb::sqlite().await.unwrap();
    db::migrate(&t.db).await.unwrap();
    let router = jixiao::web::router(t.db.clone(), site.to_str().unwrap());
    let fetch = |uri: &str, accept: Option<&str>| {
        let mut req = Request::get(uri);
        if let Some(a) = accept {
            req = req.header(header::ACCEPT_ENCODING, a);
        }
        let router = router.clone();
        let req = req.body(Body::empty()).unwrap();
        async move {
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let h = |name| res.headers().get(name).map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned());
            let (enc, ty) = (h(header::CONTENT_ENCODING), h(header::CONTENT_TYPE));
            let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec();
            (status, enc, ty, body)
        }
    };
    let (s, enc, ty, body) = fetch("/pkg/jixiao.wasm", Some("gzip, deflate, br")).await;
    assert_eq!((s, enc.as_deref(), ty.as_deref()), (StatusCode::OK, Some("br"), Some("application/wasm")));
    assert_eq!(body, b"brotli twin");
    let (s, enc, _, body) = fetch("/pkg/jixiao.wasm", Some("gzip")).await;
    assert_eq!((s, enc.as_deref()), (StatusCode::OK, Some("gzip")));
    assert_eq!(body, b"gzip twin");
    let (s, enc, _, body) = fetch("/pkg/jixiao.wasm", None).await;
    assert_eq!((s, enc), (StatusCode::OK, None));
    assert_eq!(body, b"\0asm plain");
    // No twin on disk: the plain file (small bodies are not compressed on the fly).
    let (s, _, ty, body) = fetch("/pkg/jixiao.css", Some("br")).await;
    assert_eq!((s, ty.as_deref()), (StatusCode::OK, Some("text/css")));
    assert_eq!(body, b"body{}");
    let (s, ..) = fetch("/pkg/missing.js", Some("br")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(&site).unwrap();
    t.cleanup().await.unwrap();
}

/// A TCP relay to the test PostgreSQL that can be cut (every connection dropped, the port
/// refusing) and restored on the same port: the database stopping and coming back.
struct Relay {
    port: u16,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start(port: u16) -> Relay {
        let listener = loop {
            match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                Ok(l) => break l,
                // The cut listener may take a moment to let go of its port.
                Err(_) if port != 0 => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                Err(e) => panic!("relay: {e}"),
            }
        };
        let port = listener.local_addr().unwrap().port();
        let upstream = db::testing::postgres_url();
        let upstream = upstream.split('@').nth(1).and_then(|rest| rest.split('/').next()).unwrap().to_owned();
        let tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>> = Default::default();
        let held = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let relay = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                held.lock().unwrap().push(relay);
            }
        });
        tasks.lock().unwrap().push(accept);
        Relay { port, tasks }
    }

    /// Drops every relayed connection and stops listening.
    async fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// PostgreSQL stopped while serving: pages, server functions and downloads answer 503 with a
/// Chinese message within the pool's wait (not a 500, not a hang); when the database returns,
/// the same server answers again by itself.
#[tokio::test]
async fn postgres_outage_answers_503_and_recovers() {
    use sea_orm::{ConnectionTrait, Statement};
    let direct = demo_app_on(TestDb::postgres().await.unwrap()).await;
    let schema = direct
        .db
        .db
        .query_one(Statement::from_string(direct.db.db.get_database_backend(), "SELECT current_schema()".to_owned()))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap();
    let relay = Relay::start(0).await;
    let base = db::testing::postgres_url();
    let (head, tail) = base.split_once('@').unwrap();
    let db_name = tail.split_once('/').map_or("test", |(_, name)| name);
    let url = format!("{head}@127.0.0.1:{}/{db_name}", relay.port);
    let mut opts = sea_orm::ConnectOptions::new(url);
    opts.set_schema_search_path(schema)
        .sqlx_logging(false)
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(2));
    let relayed = sea_orm::Database::connect(opts).await.unwrap();
    let app = App { router: jixiao::web::router(relayed.clone(), "target/site"), db: direct.db };
    let cookie = login(&app, "akqi", "jixiao-akqi-2021").await;
    assert_eq!(get(&app, "/projects/1", Some(&cookie)).await.status, StatusCode::OK);

    relay.cut().await;
    let started = std::time::Instant::now();
    for uri in ["/projects/1", "/", "/projects/1/audit.csv"] {
        let r = get(&app, uri, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "GET {uri} with the database down: {}", r.body);
        assert!(
            r.body.contains("数据库暂时无法连接") || r.body.contains("系统繁忙"),
            "GET {uri} says why in Chinese: {}",
            r.body
        );
    }
    let r = call(&app, "login", "username=akqi&password=jixiao-akqi-2021", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert!(r.body.contains("message"), "{}", r.body);
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "answers do not hang: {:?}", started.elapsed());

    let relay = Relay::start(relay.port).await;
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        status = get(&app, "/projects/1", Some(&cookie)).await.status;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(status, StatusCode::OK, "the server recovers by itself when the database returns");
    relay.cut().await;
    relayed.close().await.unwrap();
    app.db.cleanup().await.unwrap();
}

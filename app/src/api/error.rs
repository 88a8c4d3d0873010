//! [`AppError`]: the one error every server function returns, carried over the wire as JSON. Its
//! variants carry their data (the domain's refusals and validation errors included); the HTTP
//! status is [`AppError::status`] and the message the user reads is its `Display`, both here only.

use domain::input::Invalid;
use domain::vocab::EntityKind;
use domain::workflow::{LoginRefusal, Refusal};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a server function did not do what was asked. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// No valid session.
    #[error("请先登录")]
    NotSignedIn,
    /// A department user asking for another department's project; says nothing about it.
    #[error("无权查看该项目：只能查看本部门的项目")]
    OtherDepartment,
    #[error(transparent)]
    Refused(Refusal),
    #[error(transparent)]
    Invalid(Invalid),
    #[error(transparent)]
    Login(LoginRefusal),
    #[error("{}不存在", .0.label())]
    NotFound(EntityKind),
    /// The row changed since the page read it.
    #[error("数据已被他人修改，请刷新后重试")]
    Stale,
    /// The database is overloaded; try again.
    #[error("系统繁忙，请稍后重试")]
    Busy,
    /// The request itself is malformed (missing or mistyped fields, an unknown value).
    #[error("请求内容有误：{0}")]
    BadRequest(String),
    /// A write that did not come from this site's own pages (another origin, or a cross-site
    /// fetch); refused before it is read.
    #[error("拒绝跨站提交：请在本系统的页面中操作")]
    CrossOrigin,
    /// A write whose body is not a form (e.g. `text/plain`).
    #[error("不支持的提交格式：请在本系统的页面中操作")]
    UnsupportedMediaType,
    /// A request body larger than the server accepts.
    #[error("提交的内容过大（上限 {max_kib} KB）")]
    TooLarge { max_kib: usize },
    /// An uploaded file that cannot be read at all (not a spreadsheet, encrypted, damaged, too big).
    #[error("{0}")]
    Upload(String),
    /// Something this server cannot do now or at all (e.g. a PDF without LibreOffice installed);
    /// the message says what to do instead.
    #[error("{0}")]
    Unavailable(String),
    /// The browser could not reach the server or read its answer.
    #[error("无法连接服务器，请检查网络后重试")]
    Unreachable,
    /// Anything else; the details are in the server log only.
    #[error("服务器内部错误，请稍后重试")]
    Internal,
}

impl AppError {
    /// The HTTP status of the error: the one mapping, used for server-function responses and for
    /// pages whose data failed.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn | AppError::Login(_) => 401,
            AppError::OtherDepartment | AppError::CrossOrigin => 403,
            AppError::UnsupportedMediaType => 415,
            AppError::TooLarge { .. } => 413,
            AppError::Refused(r) if r.is_forbidden() => 403,
            AppError::Refused(_) | AppError::Invalid(_) | AppError::Upload(_) => 422,
            AppError::NotFound(_) => 404,
            AppError::Stale => 409,
            AppError::BadRequest(_) => 400,
            AppError::Busy | AppError::Unavailable(_) | AppError::Unreachable => 503,
            AppError::Internal => 500,
        }
    }

    /// The message users read.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The form field the error is about, when it is about one (to show it next to that field).
    pub fn field(&self) -> Option<domain::vocab::Field> {
        use domain::vocab::Field;
        let AppError::Invalid(invalid) = self else { return None };
        match invalid {
            Invalid::Required { field }
            | Invalid::TooLong { field, .. }
            | Invalid::TooShort { field, .. }
            | Invalid::ControlCharacters { field }
            | Invalid::NotANumber { field, .. }
            | Invalid::Negative { field }
            | Invalid::TooLarge { field }
            | Invalid::AboveMax { field, .. }
            | Invalid::Unreadable { field, .. }
            | Invalid::Duplicate { field, .. }
            | Invalid::UnknownReference { field }
            | Invalid::NotADate { field, .. }
            | Invalid::DateOutsideYear { field, .. } => Some(*field),
            Invalid::Placeholder { .. } => Some(Field::TargetText),
            Invalid::UsernameCharacters => Some(Field::Username),
            Invalid::WeakPassword => Some(Field::Password),
            Invalid::ScoreAboveWeight { .. } => Some(Field::GradeScore),
            Invalid::RescoreOutOfRange { .. } => Some(Field::Score),
            Invalid::RescoreReasonRequired { .. } => Some(Field::Reason),
            Invalid::AdjustmentReasonRequired { .. } => Some(Field::AdjustmentReason),
            Invalid::RejectionNoteRequired => Some(Field::DecisionNote),
            Invalid::YearOutOfRange { .. } => Some(Field::Year),
            Invalid::DepartmentRequired | Invalid::DepartmentNotAllowed { .. } => Some(Field::Department),
            Invalid::UnknownLevel { .. } => Some(Field::Level2),
            _ => None,
        }
    }
}

/// At most this many characters of a framework message are shown (a malformed request must not
/// be echoed back whole).
const MAX_DETAIL_CHARS: usize = 200;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        match e {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                AppError::BadRequest(m.chars().take(MAX_DETAIL_CHARS).collect())
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => AppError::Unreachable,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<db::Error> for AppError {
    fn from(e: db::Error) -> Self {
        match e {
            db::Error::Invalid(i) => AppError::Invalid(i),
            db::Error::Refused(r) => AppError::Refused(r),
            db::Error::Login(l) => AppError::Login(l),
            db::Error::NotFound(kind) => AppError::NotFound(kind),
            db::Error::Stale => AppError::Stale,
            db::Error::Busy => AppError::Busy,
            offline @ db::Error::Offline => {
                leptos::logging::error!("server error: database unreachable");
                AppError::Unavailable(offline.to_string())
            }
            db::Error::Db(e) => internal(e),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<db::DbErr> for AppError {
    fn from(e: db::DbErr) -> Self {
        db::Error::from(e).into()
    }
}

/// Logs an unexpected failure and returns [`AppError::Internal`] (the details stay in the log).
#[cfg(feature = "ssr")]
pub fn internal(e: impl std::fmt::Display) -> AppError {
    leptos::logging::error!("server error: {e}");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::vocab::{Field, Phase};
    use domain::workflow::{ActionKind, Denial, Role};

    #[test]
    fn statuses_and_messages() {
        let forbidden = AppError::Refused(Refusal::Forbidden {
            phase: Phase::Declaration,
            action: ActionKind::Submit,
            denial: Denial::Role { role: Role::Finance },
        });
        assert_eq!((forbidden.status(), forbidden.message().as_str()), (403, "财政局审核人员不能执行“提交”操作"));
        let invalid = AppError::Invalid(Invalid::Required { field: Field::TargetText });
        assert_eq!((invalid.status(), invalid.message().as_str()), (422, "“指标值”不能为空"));
        assert_eq!(AppError::NotFound(EntityKind::Project).message(), "项目不存在");
        assert_eq!(AppError::Stale.status(), 409);
        assert_eq!(AppError::Busy.status(), 503);
        assert_eq!(AppError::NotSignedIn.status(), 401);
    }

    #[test]
    fn crosses_the_wire_as_json() {
        let e = AppError::Invalid(Invalid::TooLong { field: Field::Evidence, max: 10, len: 12 });
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
        let framework = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".repeat(5000)));
        assert_eq!(framework.status(), 400);
        assert!(framework.message().chars().count() < 260);
    }
}

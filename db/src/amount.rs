//! `Amount`: an exact decimal column. PostgreSQL stores NUMERIC; SQLite stores the text of the
//! decimal (see `migrations::decimal_column`), so no value ever passes through a float.

use rust_decimal::Decimal;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, Value, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Amount(pub Decimal);

impl From<Decimal> for Amount {
    fn from(d: Decimal) -> Self {
        Amount(d)
    }
}

impl From<Amount> for Value {
    fn from(a: Amount) -> Self {
        // sea-query binds a Decimal as text on SQLite and as NUMERIC on PostgreSQL.
        Value::Decimal(Some(Box::new(a.0.normalize())))
    }
}

impl Nullable for Amount {
    fn null() -> Value {
        Value::Decimal(None)
    }
}

impl ValueType for Amount {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::Decimal(Some(d)) => Ok(Amount(*d)),
            Value::String(Some(s)) => Decimal::from_str(&s).map(Amount).map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }
    fn type_name() -> String {
        "Amount".to_owned()
    }
    fn array_type() -> ArrayType {
        ArrayType::Decimal
    }
    fn column_type() -> ColumnType {
        ColumnType::Decimal(Some((20, 6)))
    }
}

impl TryGetable for Amount {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        // SQLite: TEXT column. PostgreSQL: NUMERIC column (reading it as text fails, so fall back).
        match String::try_get_by(res, idx) {
            Ok(s) => Decimal::from_str(s.trim()).map(Amount).map_err(|e| {
                TryGetError::DbErr(sea_orm::DbErr::Type(format!("金额列不是合法数字 {s:?}: {e}")))
            }),
            Err(TryGetError::Null(n)) => Err(TryGetError::Null(n)),
            Err(_) => Decimal::try_get_by(res, idx).map(Amount),
        }
    }
}

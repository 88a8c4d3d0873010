//! The two column types of our own: [`Amount`], an exact decimal (PostgreSQL stores NUMERIC;
//! SQLite stores the text of the decimal, see `migrations::decimal_column`, so no value ever
//! passes through a float), and [`Key`], a value of one of the domain's value sets stored by its
//! key (`domain::vocab`), so entities, filters and writes carry the enum, never a string.

use domain::vocab::ValueSet;
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
            Value::Decimal(Some(d)) => Ok(Amount(d.normalize())),
            Value::String(Some(s)) => Decimal::from_str(&s).map(|d| Amount(d.normalize())).map_err(|_| ValueTypeErr),
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
        // SQLite: TEXT column. PostgreSQL: NUMERIC(20, 6) column (reading it as text fails, so
        // fall back), which pads to six decimals: normalised, so both databases read "10".
        let read = match String::try_get_by(res, idx) {
            Ok(s) => Decimal::from_str(s.trim())
                .map_err(|e| TryGetError::DbErr(sea_orm::DbErr::Type(format!("金额列不是合法数字 {s:?}: {e}")))),
            Err(TryGetError::Null(n)) => Err(TryGetError::Null(n)),
            Err(_) => Decimal::try_get_by(res, idx),
        };
        read.map(|d| Amount(d.normalize()))
    }
}

/// A value of a domain value set, stored as its key in a text column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key<T>(pub T);

impl<T: ValueSet> From<T> for Key<T> {
    fn from(v: T) -> Self {
        Key(v)
    }
}

impl<T: ValueSet> From<Key<T>> for Value {
    fn from(k: Key<T>) -> Self {
        Value::String(Some(Box::new(k.0.key().to_owned())))
    }
}

impl<T: ValueSet> Nullable for Key<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T: ValueSet> ValueType for Key<T> {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::String(Some(s)) => T::from_key(&s).map(Key).ok_or(ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }
    fn type_name() -> String {
        format!("Key<{}>", std::any::type_name::<T>())
    }
    fn array_type() -> ArrayType {
        ArrayType::String
    }
    fn column_type() -> ColumnType {
        ColumnType::String(sea_orm::sea_query::StringLen::None)
    }
}

impl<T: ValueSet> TryGetable for Key<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let s = String::try_get_by(res, idx)?;
        T::from_key(&s).map(Key).ok_or_else(|| {
            TryGetError::DbErr(sea_orm::DbErr::Type(format!("{} 列的值无法识别：{s:?}", std::any::type_name::<T>())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::vocab::Status;

    #[test]
    fn keys_round_trip_through_values() {
        let v: Value = Key(Status::UnderReview).into();
        assert_eq!(v, Value::String(Some(Box::new("under_review".to_owned()))));
        assert_eq!(<Key<Status> as ValueType>::try_from(v).ok(), Some(Key(Status::UnderReview)));
        assert!(<Key<Status> as ValueType>::try_from(Value::String(Some(Box::new("nope".into())))).is_err());
    }
}

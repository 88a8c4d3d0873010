//! Departments: names and the 主管部门 / 预算单位 hierarchy.

use crate::entities::department;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub async fn department_name(db: &impl ConnectionTrait, id: i32) -> Result<Option<String>, DbErr> {
    Ok(department::Entity::find_by_id(id).one(db).await?.map(|d| d.name))
}

pub async fn department_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<department::Model>, DbErr> {
    department::Entity::find().filter(department::Column::Name.eq(name.trim())).one(db).await
}

pub async fn list_departments(db: &impl ConnectionTrait) -> Result<Vec<department::Model>, DbErr> {
    department::Entity::find().order_by_asc(department::Column::Name).all(db).await
}

//! 指标库: the common indicators a department picks from when it builds a project's indicator
//! tree — reads for everyone signed in, the administrator's writes (checked and audited in one
//! transaction), and the seed gathered once from the real published tables in fixtures/.

use crate::accounts;
use crate::entities::{indicator_library, user};
use crate::error::{Error, Result};
use crate::write::{self, Audit, Write};
use crate::Key;
use chrono::Utc;
use domain::import::import_target_tables;
use domain::input::Invalid;
use domain::library::{check_entry, level_rank, LibraryEntry};
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::require_admin;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};

/// The real tables the library is seeded from (every fixture text).
const SEED_SOURCES: &[&str] = &[
    include_str!("../../fixtures/000_a24f108f427dffbb.txt"),
    include_str!("../../fixtures/05_sichuan_daying_sifaju_2023_zipingbiao_pipe.txt"),
    include_str!("../../fixtures/11_neimenggu_wuhai_gongxiaoshe_2021_mubiaobiao_direction.txt"),
    include_str!("../../fixtures/15_template_kunnan_qunzhong_jiuzhu_mubiao_shenbaobiao_star.txt"),
    include_str!("../../fixtures/20_sichuan_unknown_dyrmt_zipingbiao_flat.txt"),
    include_str!("../../fixtures/21_hunan_yueyanglou_jiagerenzheng_2023_zhengti_traditional_pipe.txt"),
    include_str!("../../fixtures/22_hunan_ningxiang_batangzhen_2021_mubiaobiao_flat_docsite.txt"),
    include_str!("../../fixtures/23_anhui_chizhou_tangxizhen_2022_zipingbiao_flat.txt"),
    include_str!("../../fixtures/24_sichuan_qingshen_fagaiju_2023_zipingbiao_cellperline.txt"),
    include_str!("../../fixtures/25_central_kejifazhan_2021_zipingbiao_template_flat.txt"),
    include_str!("../../fixtures/26_hebei_langfang_shipin_xuexiao_2019_zipingbiao_zhibiao1_cellperline.txt"),
    include_str!("../../fixtures/27_hubei_ezhou_jiguan_shiwu_2022_mubiaobiao_flat_ocr.txt"),
    include_str!("../../fixtures/28_fujian_ningde_dangshi_2019_zhengti_mubiaobiao.txt"),
    include_str!("../../fixtures/29_gansu_jiayuguan_bowuguan_2023_mubiaobiao_flat_ocr_twotables.txt"),
    include_str!("../../fixtures/30_hunan_xiangtan_huanwei_2023_shenbaobiao_pipe_cellperline.txt"),
    include_str!("../../fixtures/31_hubei_wuhan_qingshan_jiaoyu_2020_mubiaobiao_longterm_cellperline.txt"),
    include_str!("../../fixtures/32_hubei_wuhan_qingshan_jiaoyu_2020_mubiaobiao_glued_rows.txt"),
    include_str!("../../fixtures/33_sichuan_jingyan_matazhen_2023_shenbaobiao_pipe_multiproject.txt"),
    include_str!("../../fixtures/34_sichuan_daying_xiaoxie_2020_zipingbaogao_progress_column.txt"),
    include_str!("../../fixtures/35_hubei_huanggang_shuitu_baochi_2020_zipingbiao_traditional_flat.txt"),
    include_str!("../../fixtures/36_hunan_yueyangxian_nongtian_2022_shenbaobiao_cellperline.txt"),
    include_str!("../../fixtures/37_ningxia_tongxin_xiamaguan_2023_mubiao_gongshi_prose.txt"),
    include_str!("../../fixtures/38_chongqing_fengjie_yunwu_2023_shenpibiao_cost_first.txt"),
    include_str!("../../fixtures/39_shaanxi_jiaxian_2016_shenbaobiao_blank_form.txt"),
];

/// The entries the seed holds: `domain::library::seed` over every fixture (the common
/// indicators, then what the real tables hold).
pub fn seed_entries() -> Vec<LibraryEntry> {
    let projects: Vec<_> = SEED_SOURCES.iter().flat_map(|text| import_target_tables(text).projects).collect();
    domain::library::seed(&projects)
}

/// Stores the seed (called once, when the library's migration is applied); returns how many.
pub async fn seed(conn: &impl ConnectionTrait) -> Result<usize, DbErr> {
    let entries = seed_entries();
    for e in &entries {
        indicator_library::ActiveModel {
            level1: Set(e.level1.clone()),
            level2: Set(e.level2.clone()),
            name: Set(e.name.clone()),
            unit: Set(e.unit.clone()),
            direction: Set(e.direction.map(Key)),
            example: Set(e.example.clone()),
            version: Set(1),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(entries.len())
}

/// The library in tree order (一级, 二级 as `domain::library::LEVELS` lists them), then by name.
pub async fn all(conn: &impl ConnectionTrait) -> Result<Vec<indicator_library::Model>, DbErr> {
    let mut rows = indicator_library::Entity::find().all(conn).await?;
    rows.sort_by(|a, b| {
        level_rank(&a.level1, &a.level2).cmp(&level_rank(&b.level1, &b.level2)).then_with(|| a.name.cmp(&b.name))
    });
    Ok(rows)
}

/// An entry as the domain sees it.
pub fn entry_of(row: &indicator_library::Model) -> LibraryEntry {
    LibraryEntry {
        level1: row.level1.clone(),
        level2: row.level2.clone(),
        name: row.name.clone(),
        unit: row.unit.clone(),
        direction: row.direction.map(|d| d.0),
        example: row.example.clone(),
    }
}

fn audit(admin: &user::Model, action: Option<AuditAction>) -> Audit<'_> {
    Audit { user: admin, at: Utc::now(), kind: EntityKind::LibraryEntry, project_id: None, action }
}

/// Adds an entry (`id` `None`, `expected_version` 0) or changes one, as the administrator. A
/// second entry of the same 二级 and name is refused.
pub async fn save(
    db: &DatabaseConnection,
    admin: &user::Model,
    id: Option<i32>,
    entry: &LibraryEntry,
    expected_version: i32,
) -> Result<indicator_library::Model> {
    require_admin(&accounts::actor(admin))?;
    let new = check_entry(entry)?;
    let txn = write::begin(db).await?;
    let old = match id {
        Some(id) => Some(
            indicator_library::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound(EntityKind::LibraryEntry))?,
        ),
        None => None,
    };
    let clash = indicator_library::Entity::find()
        .filter(indicator_library::Column::Level2.eq(new.level2.as_str()))
        .filter(indicator_library::Column::Name.eq(new.name.as_str()))
        .one(&txn)
        .await?;
    if clash.is_some_and(|c| Some(c.id) != id) {
        return Err(Invalid::Duplicate { field: Field::IndicatorName, value: new.name }.into());
    }
    use indicator_library::Column as C;
    let o = old.as_ref();
    let changes = Write::<indicator_library::Entity>::new()
        .field(Field::Level1, C::Level1, o.map(|o| o.level1.clone()), Some(new.level1.clone()))
        .field(Field::Level2, C::Level2, o.map(|o| o.level2.clone()), Some(new.level2.clone()))
        .field(Field::IndicatorName, C::Name, o.map(|o| o.name.clone()), Some(new.name.clone()))
        .field(Field::Unit, C::Unit, o.map(|o| o.unit.clone()), Some(new.unit.clone()))
        .field(Field::Direction, C::Direction, o.and_then(|o| o.direction), new.direction.map(Key))
        .field(Field::TargetText, C::Example, o.map(|o| o.example.clone()), Some(new.example.clone()));
    let saved = write::upsert(&txn, old, expected_version, vec![], changes, audit(admin, None)).await?;
    txn.commit().await?;
    Ok(saved.row)
}

/// Removes an entry, as the administrator, if it is still at `expected_version`. Projects that
/// took an indicator from it keep theirs.
pub async fn delete(db: &DatabaseConnection, admin: &user::Model, id: i32, expected_version: i32) -> Result<()> {
    require_admin(&accounts::actor(admin))?;
    let txn = write::begin(db).await?;
    let old =
        indicator_library::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound(EntityKind::LibraryEntry))?;
    if old.version != expected_version {
        return Err(Error::Stale);
    }
    indicator_library::Entity::delete_by_id(id).exec(&txn).await?;
    let change = write::Change::new(Field::IndicatorName, Some(&format!("{} / {}", old.level2, old.name)), None);
    write::record_changes(&txn, &audit(admin, Some(AuditAction::Delete)), id, &[change]).await?;
    txn.commit().await?;
    Ok(())
}

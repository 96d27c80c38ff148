with

source as (
    {{ deduplicate(
        source('market', 'indicators'),
        partition_by='indicator_date, lower(trim(category)), lower(trim(indicator_name))',
        order_by='_loaded_at desc, _source_file desc, value desc',
    ) }}
),

renamed as (
    select
        ---------- keys
        cast(indicator_date as date) as indicator_date,
        lower(trim(category)) as category,
        lower(trim(indicator_name)) as indicator_name,

        ---------- values
        cast(value as double) as indicator_value,
        trim(unit) as unit,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id

    from source
)

select * from renamed

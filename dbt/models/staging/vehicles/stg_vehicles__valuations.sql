-- Vehicle valuations from the vendor API, the latest answer per plate + state. The API source is optional
-- (VEHICLE_API_URL): until its first load there is no bronze folder, and this model is empty with the same
-- columns, so the marts build either way (has_bronze: macros/cross_db.sql).
{%- set valuations = source('vehicles', 'valuations') -%}
{%- set bronze_loaded = has_bronze('vehicles', 'valuations') %}

with

source as (
{%- if bronze_loaded %}
    {{ deduplicate(
        valuations,
        partition_by='license_plate, state_code',
        order_by='fetched_at desc, _loaded_at desc',
    ) }}
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as license_plate,
        cast(null as {{ dbt.type_string() }}) as state_code,
        cast(null as {{ dbt.type_string() }}) as make,
        cast(null as integer) as model_year,
        cast(null as decimal(12, 2)) as valuation_usd,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as {{ type_timestamp_tz() }}) as valued_at,
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as {{ type_timestamp_tz() }}) as fetched_at,
        cast(null as timestamp) as _loaded_at,
        cast(null as {{ dbt.type_string() }}) as _run_id
    where false
{%- endif %}
),

renamed as (
    select
        ---------- ids
        upper(trim(license_plate)) as license_plate,
        upper(trim(state_code)) as state_code,

        ---------- text
        trim(make) as make,
        upper(trim(currency)) as currency,
        trim(source) as valuation_source,

        ---------- numerics
        cast(model_year as integer) as model_year,
        cast(valuation_usd as decimal(12, 2)) as valuation_usd,

        ---------- timestamps
        {#- bronze holds these as TIMESTAMP WITH TIME ZONE: the UTC wall-clock time, whatever the session zone #}
        {{ utc_timestamp('valued_at') }} as valued_at,
        {{ utc_timestamp('fetched_at') }} as fetched_at,

        ---------- lineage
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id

    from source
)

select * from renamed

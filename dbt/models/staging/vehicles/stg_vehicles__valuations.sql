-- Vehicle valuations from the vendor API, the latest answer per plate + state. The API source is optional
-- (VEHICLE_API_URL): until its first load there is no bronze folder, and this model is empty with the same
-- columns, so the marts build either way. The glob below is the source's external_location path.
{%- set valuations = source('vehicles', 'valuations') -%}
{%- set has_bronze = true -%}
{%- if execute and target.type == 'duckdb' -%}
    {%- set bronze_glob = env_var('LAKE_URI') ~ '/bronze/vehicles/valuations/*/*.parquet' -%}
    {%- set has_bronze = run_query("select count(*) from glob('" ~ bronze_glob ~ "')").columns[0].values()[0] > 0 -%}
{%- endif -%}

{#- bronze holds these as TIMESTAMP WITH TIME ZONE: convert to UTC wall-clock time, whatever the session zone -#}
{%- set utc = "timezone('UTC', {})" if target.type == 'duckdb' else "cast({} as timestamp)" %}

with

source as (
{%- if has_bronze %}
    {{ deduplicate(
        valuations,
        partition_by='license_plate, state_code',
        order_by='fetched_at desc, _loaded_at desc',
    ) }}
{%- else %}
    select
        cast(null as varchar) as license_plate,
        cast(null as varchar) as state_code,
        cast(null as varchar) as make,
        cast(null as integer) as model_year,
        cast(null as decimal(12, 2)) as valuation_usd,
        cast(null as varchar) as currency,
        cast(null as timestamptz) as valued_at,
        cast(null as varchar) as source,
        cast(null as timestamptz) as fetched_at,
        cast(null as timestamp) as _loaded_at,
        cast(null as varchar) as _run_id
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
        {{ utc.format('valued_at') }} as valued_at,
        {{ utc.format('fetched_at') }} as fetched_at,

        ---------- lineage
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id

    from source
)

select * from renamed

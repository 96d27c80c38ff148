{{
    config(
        materialized=silver_materialized(),
        unique_key='customer_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- The only model that reads raw PII: names, email, phone and street address leave it hashed. Silver on DuckDB
-- (ADR 0023): each run deduplicates only the bronze loaded since the build it starts from and replaces those keys.
with

source as (
    {{ deduplicate(
        bronze_since_built(source('customers', 'customers')),
        partition_by='customer_id',
        order_by='_loaded_at desc, updated_at desc nulls last, _source_file desc',
    ) }}
),

renamed as (
    select
        ---------- ids
        cast(customer_id as bigint) as customer_id,

        ---------- pii, hashed
        {{ hash_pii('lower(first_name)') }} as first_name_hash,
        {{ hash_pii('lower(last_name)') }} as last_name_hash,
        case
            when {{ is_valid_email('email') }}
                then {{ hash_pii(normalized_email('email')) }}
        end as email_hash,
        {{ hash_pii(phone_digits('phone')) }} as phone_hash,
        {{ hash_pii('lower(street_address)') }} as street_address_hash,

        ---------- text
        {{ email_domain('email') }} as email_domain,
        trim(city) as city,
        {{ canonical_value('region', var('regions')) }} as region,
        upper(trim(country)) as country_code,

        ---------- booleans
        {{ is_valid_email('email') }} as is_email_valid,

        ---------- timestamps
        cast(signed_up_at as timestamp) as signed_up_at,
        cast(updated_at as timestamp) as updated_at,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id,
        {{ run_marker() }} as _built_run_id

    from source
)

select * from renamed

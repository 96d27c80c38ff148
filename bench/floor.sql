-- The benchmark's floor: the gold marts of dbt/models/marts, built by one DuckDB script straight from the landing
-- files, without Meltano, dbt, a lake, a quality gate or a ledger. Same tables, columns, types and values as the
-- published warehouse (lineage columns left out), for clean input (`data-stack generate --defect-rate 0`): no
-- quarantine, no incremental state, CSV columns read in the contract's order, no compressed deliveries.
--
-- The caller sets two variables first:
--     set variable landing = '/path/to/landing';
--     set variable pii_hash_salt = '...';
--
-- Staging and intermediate models are temp tables named after the dbt models; the marts are tables in the
-- published warehouse's schemas (logistics, marketing, product).

-- tap-landing reads a timestamp without an offset as UTC, and one with an offset as that instant in UTC
set timezone = 'UTC';

create schema if not exists logistics;
create schema if not exists marketing;
create schema if not exists product;


---------- staging: typed, normalised, one row per key (the latest file wins, as the models' dedup orders)

create or replace temp table stg_orders__orders as
with

source as (
    select *
    from read_csv(
        getvariable('landing') || '/orders/orders_*.csv',
        header = true,
        auto_detect = false,
        nullstr = ['', 'NULL', 'null', '\N'],
        filename = '_source_file',
        columns = {
            'order_id': 'bigint',
            'customer_id': 'bigint',
            'order_ts': 'timestamptz',
            'status': 'varchar',
            'channel': 'varchar',
            'currency': 'varchar',
            'shipping_fee': 'decimal(10, 2)',
        }
    )
    qualify row_number() over (partition by order_id order by _source_file desc, status) = 1
)

select
    order_id,
    customer_id,
    lower(trim(status)) as status,
    lower(trim(channel)) as channel,
    upper(trim(currency)) as currency_code,
    shipping_fee,
    timezone('UTC', order_ts) as ordered_at,
    cast(timezone('UTC', order_ts) as date) as order_date,
from source;

create or replace temp table stg_orders__order_items as
with

source as (
    select *
    from read_csv(
        getvariable('landing') || '/orders/order_items_*.csv',
        header = true,
        auto_detect = false,
        nullstr = ['', 'NULL', 'null', '\N'],
        filename = '_source_file',
        columns = {
            'order_item_id': 'bigint',
            'order_id': 'bigint',
            'product_id': 'bigint',
            'quantity': 'integer',
            'unit_price': 'decimal(10, 2)',
            'discount_pct': 'decimal(5, 4)',
        }
    )
    qualify row_number() over (partition by order_item_id order by _source_file desc, quantity desc) = 1
)

select
    order_item_id,
    order_id,
    product_id,
    quantity,
    unit_price,
    cast(coalesce(discount_pct, 0) as decimal(5, 4)) as discount_pct,
from source;

create or replace temp table stg_customers__customers as
with

source as (
    select *
    from read_csv(
        getvariable('landing') || '/customers/customers_*.csv',
        header = true,
        auto_detect = false,
        nullstr = ['', 'NULL', 'null', '\N'],
        filename = '_source_file',
        columns = {
            'customer_id': 'bigint',
            'first_name': 'varchar',
            'last_name': 'varchar',
            'email': 'varchar',
            'phone': 'varchar',
            'street_address': 'varchar',
            'city': 'varchar',
            'region': 'varchar',
            'country': 'varchar',
            'signed_up_at': 'timestamptz',
            'updated_at': 'timestamptz',
        }
    )
    qualify row_number() over (
        partition by customer_id order by updated_at desc nulls last, _source_file desc
    ) = 1
),

emails as (
    select
        *,
        nullif(lower(trim(email)), '') as normalized_email,
        coalesce(
            regexp_full_match(
                nullif(lower(trim(email)), ''), '^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$'
            ),
            false
        ) as is_email_valid,
    from source
)

-- the marts keep only the email hash of the PII columns
select
    customer_id,
    case
        when is_email_valid
            then sha256(getvariable('pii_hash_salt') || nullif(trim(normalized_email), ''))
    end as email_hash,
    case when is_email_valid then split_part(normalized_email, '@', 2) end as email_domain,
    trim(city) as city,
    trim(region) as region,
    upper(trim(country)) as country_code,
    is_email_valid,
    timezone('UTC', signed_up_at) as signed_up_at,
from emails;

create or replace temp table stg_catalog__products as
with

source as (
    select *
    from read_json(
        getvariable('landing') || '/catalog/products_*.json',
        format = 'array',
        filename = '_source_file',
        columns = {
            'product_id': 'bigint',
            'sku': 'varchar',
            'product_name': 'varchar',
            'category': 'varchar',
            'subcategory': 'varchar',
            'unit_cost': 'decimal(10, 2)',
            'list_price': 'decimal(10, 2)',
            'supplier': 'varchar',
            'is_active': 'boolean',
            'updated_at': 'timestamptz',
            'attributes': 'struct(color varchar, weight_kg double, tags varchar[])',
        }
    )
    qualify row_number() over (
        partition by product_id order by updated_at desc nulls last, _source_file desc
    ) = 1
)

select
    product_id,
    trim(sku) as sku,
    trim(product_name) as product_name,
    lower(trim(category)) as category,
    lower(trim(subcategory)) as subcategory,
    trim(supplier) as supplier,
    attributes.color as color,
    unit_cost,
    list_price,
    attributes.weight_kg as weight_kg,
    coalesce(is_active, true) as is_active,
    timezone('UTC', updated_at) as updated_at,
from source;

create or replace temp table stg_clickstream__events as
with

source as (
    select *
    from read_json(
        getvariable('landing') || '/clickstream/*/events_*.jsonl',
        format = 'newline_delimited',
        filename = '_source_file',
        columns = {
            'event_id': 'varchar',
            'event_type': 'varchar',
            'event_ts': 'timestamptz',
            'session_id': 'varchar',
            'customer_id': 'bigint',
            'product_id': 'bigint',
            'order_id': 'bigint',
            'context': 'struct(page struct(url varchar, referrer varchar), '
                || 'device struct(type varchar, os varchar, browser varchar))',
        }
    )
    qualify row_number() over (partition by event_id order by _source_file desc) = 1
)

select
    trim(session_id) as session_id,
    customer_id,
    order_id,
    lower(trim(event_type)) as event_type,
    coalesce(lower(context.device.type), 'unknown') as device_type,
    timezone('UTC', event_ts) as event_at,
from source;

create or replace temp table stg_market__indicators as
with

source as (
    select *
    from read_csv(
        getvariable('landing') || '/market/indicators_*.csv',
        header = true,
        auto_detect = false,
        nullstr = ['', 'NULL', 'null', '\N'],
        filename = '_source_file',
        columns = {
            'indicator_date': 'date',
            'category': 'varchar',
            'indicator_name': 'varchar',
            'value': 'double',
            'unit': 'varchar',
        }
    )
    qualify row_number() over (
        partition by indicator_date, lower(trim(category)), lower(trim(indicator_name))
        order by _source_file desc, value desc
    ) = 1
)

select
    indicator_date,
    lower(trim(category)) as category,
    lower(trim(indicator_name)) as indicator_name,
    value as indicator_value,
from source;

create or replace temp table stg_logistics__shipments as
with

source as (
    select *
    from read_csv(
        getvariable('landing') || '/logistics/shipments_*.csv',
        header = true,
        auto_detect = false,
        nullstr = ['', 'NULL', 'null', '\N'],
        filename = '_source_file',
        columns = {
            'shipment_id': 'bigint',
            'order_id': 'bigint',
            'carrier': 'varchar',
            'service_level': 'varchar',
            'destination_region': 'varchar',
            'vehicle_id': 'bigint',
            'shipped_at': 'timestamptz',
            'promised_at': 'timestamptz',
            'delivered_at': 'timestamptz',
            'status': 'varchar',
        }
    )
    qualify row_number() over (
        partition by shipment_id order by _source_file desc, delivered_at desc nulls last
    ) = 1
)

select
    shipment_id,
    order_id,
    vehicle_id,
    trim(carrier) as carrier,
    lower(trim(service_level)) as service_level,
    trim(destination_region) as destination_region,
    lower(trim(status)) as status,
    timezone('UTC', shipped_at) as shipped_at,
    timezone('UTC', promised_at) as promised_at,
    timezone('UTC', delivered_at) as delivered_at,
from source;

create or replace temp table stg_fleet__vehicles as
with

source as (
    select *
    from read_csv(
        getvariable('landing') || '/fleet/vehicles_*.csv',
        header = true,
        auto_detect = false,
        nullstr = ['', 'NULL', 'null', '\N'],
        filename = '_source_file',
        columns = {
            'vehicle_id': 'bigint',
            'license_plate': 'varchar',
            'state_code': 'varchar',
            'make': 'varchar',
            'model': 'varchar',
            'model_year': 'integer',
            'vehicle_type': 'varchar',
            'capacity_kg': 'integer',
            'depot_region': 'varchar',
            'in_service_date': 'date',
        }
    )
    qualify row_number() over (partition by vehicle_id order by _source_file desc) = 1
)

select
    vehicle_id,
    upper(trim(license_plate)) as license_plate,
    upper(trim(state_code)) as state_code,
    trim(make) as make,
    trim(model) as model,
    lower(trim(vehicle_type)) as vehicle_type,
    trim(depot_region) as depot_region,
    model_year,
    capacity_kg,
    in_service_date,
from source;

-- The vehicle valuation API is optional and not part of the landing files: without it the pipeline's valuations
-- model is empty, and fleet_vehicles has no valuation.
create or replace temp table stg_vehicles__valuations (
    license_plate varchar,
    state_code varchar,
    valuation_usd decimal(12, 2),
    valued_at timestamp
);


---------- intermediate

create or replace temp table int_order_items_validated as
with

measured as (
    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.product_id,
        order_items.quantity,
        order_items.unit_price,
        order_items.discount_pct,
        cast(order_items.quantity * order_items.unit_price as decimal(18, 2)) as gross_amount,
        cast(
            round(order_items.quantity * order_items.unit_price * order_items.discount_pct, 2) as decimal(18, 2)
        ) as discount_amount,
        orders.order_id is not null as has_known_order,
        order_items.quantity > 0 as has_valid_quantity,
        order_items.discount_pct between 0 and 0.5 as has_valid_discount,
    from stg_orders__order_items as order_items
    left join stg_orders__orders as orders
        on order_items.order_id = orders.order_id
)

select
    order_item_id,
    order_id,
    product_id,
    quantity,
    unit_price,
    discount_pct,
    gross_amount,
    discount_amount,
    cast(gross_amount - discount_amount as decimal(18, 2)) as net_amount,
    has_known_order and has_valid_quantity and has_valid_discount as is_valid,
from measured;

-- overdue or pending as of the latest shipped_at or delivered_at of any current shipment; lost counts as overdue
create or replace temp table int_shipments_measured as
with

as_of as (
    select greatest(max(shipped_at), max(delivered_at)) as as_of_at
    from stg_logistics__shipments
)

select
    shipments.shipment_id,
    shipments.order_id,
    shipments.vehicle_id,
    shipments.carrier,
    shipments.service_level,
    shipments.destination_region,
    shipments.status,
    shipments.shipped_at,
    cast(shipments.shipped_at as date) as ship_date,
    shipments.promised_at,
    shipments.delivered_at,
    cast(shipments.delivered_at as date) as delivery_date,
    shipments.delivered_at is not null as is_delivered,
    coalesce(shipments.delivered_at <= shipments.promised_at, false) as is_on_time,
    coalesce(shipments.status = 'lost', false) as is_lost,
    shipments.delivered_at is null
        and (shipments.status = 'lost' or shipments.promised_at < as_of.as_of_at) is true as is_overdue,
    shipments.delivered_at is null
        and (shipments.status = 'lost' or shipments.promised_at < as_of.as_of_at) is not true as is_pending,
    as_of.as_of_at,
    cast(round(date_diff('minute', shipments.shipped_at, shipments.delivered_at) / 60.0, 2) as double)
        as lead_time_hours,
    cast(round(date_diff('minute', shipments.shipped_at, shipments.promised_at) / 60.0, 2) as double)
        as promised_lead_time_hours,
    orders.order_id is not null as has_known_order,
from stg_logistics__shipments as shipments
cross join as_of
left join stg_orders__orders as orders
    on shipments.order_id = orders.order_id;

-- the furthest funnel step a session reached: a later step implies the earlier ones
create or replace temp table int_sessions_aggregated as
with

sessions as (
    select
        events.session_id,
        min(events.device_type) as device_type,
        min(events.event_at) as session_started_at,
        max(
            case events.event_type
                when 'product_view' then 1
                when 'add_to_cart' then 2
                when 'checkout' then 3
                when 'purchase' then 4
                else 0
            end
        ) as funnel_step,
        count(distinct case when events.event_type = 'purchase' then events.order_id end) as order_count,
    from stg_clickstream__events as events
    group by events.session_id
)

select
    cast(session_started_at as date) as session_date,
    device_type,
    funnel_step >= 1 as has_product_view,
    funnel_step >= 2 as has_add_to_cart,
    funnel_step >= 3 as has_checkout,
    funnel_step >= 4 as has_purchase,
    cast(order_count as integer) as order_count,
from sessions;


---------- marts: logistics

create or replace table logistics.shipments as
select
    shipment_id,
    order_id,
    vehicle_id,
    carrier,
    service_level,
    destination_region,
    status,
    shipped_at,
    ship_date,
    promised_at,
    delivered_at,
    delivery_date,
    is_delivered,
    is_on_time,
    is_lost,
    lead_time_hours,
    promised_lead_time_hours,
from int_shipments_measured
where has_known_order;

create or replace table logistics.delivery_sla_daily as
with

daily as (
    select
        ship_date,
        carrier,
        destination_region,
        count(*) as shipment_count,
        sum(case when is_delivered then 1 else 0 end) as delivered_count,
        sum(case when is_on_time then 1 else 0 end) as on_time_count,
        sum(case when is_overdue then 1 else 0 end) as overdue_count,
        sum(case when is_pending then 1 else 0 end) as pending_count,
        sum(case when is_lost then 1 else 0 end) as lost_count,
        -- exact decimal mean (dbt/macros/cross_db.sql, exact_avg): the same result whatever the thread order
        avg(cast(lead_time_hours as decimal(38, 2))) as avg_lead_time_hours,
        quantile_cont(lead_time_hours, 0.9) as p90_lead_time_hours,
        max(as_of_at) as as_of_at,
    from int_shipments_measured
    group by ship_date, carrier, destination_region
)

select
    ship_date,
    carrier,
    destination_region,
    cast(shipment_count as integer) as shipment_count,
    cast(delivered_count as integer) as delivered_count,
    cast(on_time_count as integer) as on_time_count,
    cast(overdue_count as integer) as overdue_count,
    cast(pending_count as integer) as pending_count,
    cast(lost_count as integer) as lost_count,
    pending_count = 0 as is_final,
    -- no rate while a shipment is pending: of those not due yet only the early arrivals are decided
    case
        when pending_count = 0
            then cast(on_time_count as double) / nullif(delivered_count + overdue_count, 0)
    end as on_time_rate,
    cast(round(avg_lead_time_hours, 2) as double) as avg_lead_time_hours,
    cast(round(p90_lead_time_hours, 2) as double) as p90_lead_time_hours,
    as_of_at,
from daily;

create or replace table logistics.lead_time_hourly as
with

finality as (
    select
        ship_date,
        carrier,
        destination_region,
        sum(case when is_pending then 1 else 0 end) = 0 as is_final,
    from int_shipments_measured
    group by ship_date, carrier, destination_region
),

delivered as (
    select
        ship_date,
        carrier,
        destination_region,
        cast(floor(lead_time_hours) as integer) as lead_time_hour,
        cast(count(*) as integer) as delivered_count,
        cast(sum(case when is_on_time then 1 else 0 end) as integer) as on_time_count,
    from int_shipments_measured
    where is_delivered
    group by ship_date, carrier, destination_region, cast(floor(lead_time_hours) as integer)
)

select
    delivered.ship_date,
    delivered.carrier,
    delivered.destination_region,
    delivered.lead_time_hour,
    delivered.delivered_count,
    delivered.on_time_count,
    finality.is_final,
from delivered
inner join finality
    on
        delivered.ship_date = finality.ship_date
        and delivered.carrier = finality.carrier
        and delivered.destination_region = finality.destination_region;

-- vehicles on shipments but not in the fleet register are kept as inferred members
create or replace table logistics.fleet_vehicles as
with

vehicle_shipments as (
    select
        vehicle_id,
        count(*) as shipment_count,
        sum(case when is_delivered then 1 else 0 end) as delivered_count,
        sum(case when is_on_time then 1 else 0 end) as on_time_count,
        sum(case when is_overdue then 1 else 0 end) as overdue_count,
        max(shipped_at) as last_shipped_at,
    from int_shipments_measured
    where vehicle_id is not null
    group by vehicle_id
),

all_vehicles as (
    select
        vehicle_id,
        license_plate,
        state_code,
        make,
        model,
        model_year,
        vehicle_type,
        capacity_kg,
        depot_region,
        in_service_date,
        true as is_in_fleet_register,
    from stg_fleet__vehicles

    union all

    select
        vehicle_shipments.vehicle_id,
        null as license_plate,
        null as state_code,
        null as make,
        null as model,
        null as model_year,
        'unknown' as vehicle_type,
        null as capacity_kg,
        null as depot_region,
        null as in_service_date,
        false as is_in_fleet_register,
    from vehicle_shipments
    left join stg_fleet__vehicles as vehicles
        on vehicle_shipments.vehicle_id = vehicles.vehicle_id
    where vehicles.vehicle_id is null
)

select
    all_vehicles.*,
    cast(coalesce(vehicle_shipments.shipment_count, 0) as integer) as shipment_count,
    cast(coalesce(vehicle_shipments.delivered_count, 0) as integer) as delivered_count,
    cast(coalesce(vehicle_shipments.on_time_count, 0) as integer) as on_time_count,
    cast(coalesce(vehicle_shipments.overdue_count, 0) as integer) as overdue_count,
    vehicle_shipments.last_shipped_at,
    valuations.valuation_usd,
    valuations.valued_at,
from all_vehicles
left join vehicle_shipments
    on all_vehicles.vehicle_id = vehicle_shipments.vehicle_id
left join stg_vehicles__valuations as valuations
    on
        all_vehicles.license_plate = valuations.license_plate
        and all_vehicles.state_code = valuations.state_code;


---------- marts: marketing

create or replace table marketing.orders as
with

order_totals as (
    select
        order_id,
        sum(case when is_valid then 1 else 0 end) as item_count,
        sum(case when is_valid then 0 else 1 end) as rejected_item_count,
        sum(case when is_valid then quantity else 0 end) as unit_count,
        sum(case when is_valid then gross_amount else 0 end) as gross_amount,
        sum(case when is_valid then discount_amount else 0 end) as discount_amount,
        sum(case when is_valid then net_amount else 0 end) as net_amount,
    from int_order_items_validated
    group by order_id
)

select
    orders.order_id,
    orders.customer_id,
    orders.ordered_at,
    orders.order_date,
    orders.status,
    coalesce(orders.channel, 'unknown') as channel,
    coalesce(orders.currency_code, 'USD') as currency_code,
    cast(coalesce(order_totals.item_count, 0) as integer) as item_count,
    cast(coalesce(order_totals.rejected_item_count, 0) as integer) as rejected_item_count,
    cast(coalesce(order_totals.unit_count, 0) as integer) as unit_count,
    cast(coalesce(order_totals.gross_amount, 0) as decimal(18, 2)) as gross_amount,
    cast(coalesce(order_totals.discount_amount, 0) as decimal(18, 2)) as discount_amount,
    cast(coalesce(order_totals.net_amount, 0) as decimal(18, 2)) as net_amount,
    cast(coalesce(orders.shipping_fee, 0) as decimal(18, 2)) as shipping_fee,
    cast(coalesce(order_totals.net_amount, 0) + coalesce(orders.shipping_fee, 0) as decimal(18, 2)) as order_total,
    orders.status not in ('cancelled', 'returned') as is_revenue_order,
from stg_orders__orders as orders
left join order_totals
    on orders.order_id = order_totals.order_id;

-- customers referenced by orders but missing from the export are kept as inferred members
create or replace table marketing.customers as
with

customer_orders as (
    select
        customer_id,
        count(*) as order_count,
        sum(net_amount) as lifetime_value,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        max(order_date) as last_order_date,
    from marketing.orders
    where is_revenue_order
    group by customer_id
),

-- "lapsed" is measured from the latest order in the data, not from today
as_of as (
    select max(order_date) as as_of_date from marketing.orders
),

inferred_customers as (
    select distinct orders.customer_id
    from marketing.orders as orders
    left join stg_customers__customers as customers
        on orders.customer_id = customers.customer_id
    where customers.customer_id is null
),

all_customers as (
    select
        customer_id,
        email_hash,
        email_domain,
        is_email_valid,
        city,
        coalesce(region, 'Unknown') as region,
        country_code,
        signed_up_at,
        true as has_profile,
    from stg_customers__customers

    union all

    select
        customer_id,
        null as email_hash,
        null as email_domain,
        false as is_email_valid,
        null as city,
        'Unknown' as region,
        null as country_code,
        null as signed_up_at,
        false as has_profile,
    from inferred_customers
),

-- segment thresholds: the vars of dbt/dbt_project.yml
segmented as (
    select
        all_customers.*,
        coalesce(customer_orders.order_count, 0) as order_count,
        coalesce(customer_orders.lifetime_value, 0) as lifetime_value,
        customer_orders.first_order_at,
        customer_orders.last_order_at,
        case
            when customer_orders.order_count is null
                then 'prospect'
            when date_diff('day', customer_orders.last_order_date::timestamp, as_of.as_of_date::timestamp) > 90
                then 'lapsed'
            when customer_orders.lifetime_value >= 2500 or customer_orders.order_count >= 5
                then 'vip'
            when customer_orders.order_count >= 2
                then 'repeat'
            else 'new'
        end as customer_segment,
    from all_customers
    left join customer_orders
        on all_customers.customer_id = customer_orders.customer_id
    cross join as_of
)

select
    customer_id,
    email_hash,
    email_domain,
    is_email_valid,
    city,
    region,
    country_code,
    signed_up_at,
    cast(signed_up_at as date) as signup_date,
    has_profile,
    cast(order_count as integer) as order_count,
    cast(lifetime_value as decimal(18, 2)) as lifetime_value,
    -- a double division cast to cents, as the pipeline does on DuckDB (dbt/macros/cross_db.sql, money_per)
    cast(lifetime_value / nullif(order_count, 0) as decimal(18, 2)) as average_order_value,
    first_order_at,
    last_order_at,
    customer_segment,
from segmented;

create or replace table marketing.revenue_daily as
with

orders_with_region as (
    select
        orders.order_date,
        orders.channel,
        orders.customer_id,
        orders.net_amount,
        orders.is_revenue_order,
        coalesce(customers.region, 'Unknown') as region,
    from marketing.orders as orders
    left join marketing.customers as customers
        on orders.customer_id = customers.customer_id
),

daily as (
    select
        order_date,
        region,
        channel,
        count(*) as order_count,
        sum(case when is_revenue_order then 1 else 0 end) as revenue_order_count,
        sum(case when is_revenue_order then net_amount else 0 end) as revenue,
        count(distinct case when is_revenue_order then customer_id end) as active_customer_count,
    from orders_with_region
    group by order_date, region, channel
)

select
    order_date,
    region,
    channel,
    cast(order_count as integer) as order_count,
    cast(revenue_order_count as integer) as revenue_order_count,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(revenue / nullif(revenue_order_count, 0) as decimal(18, 2)) as average_order_value,
    cast(active_customer_count as integer) as active_customer_count,
from daily;

create or replace table marketing.funnel_daily as
with

daily as (
    select
        session_date,
        device_type,
        count(*) as session_count,
        sum(case when has_product_view then 1 else 0 end) as product_view_session_count,
        sum(case when has_add_to_cart then 1 else 0 end) as add_to_cart_session_count,
        sum(case when has_checkout then 1 else 0 end) as checkout_session_count,
        sum(case when has_purchase then 1 else 0 end) as purchase_session_count,
        sum(order_count) as order_count,
    from int_sessions_aggregated
    group by session_date, device_type
)

select
    session_date,
    device_type,
    cast(session_count as integer) as session_count,
    cast(product_view_session_count as integer) as product_view_session_count,
    cast(add_to_cart_session_count as integer) as add_to_cart_session_count,
    cast(checkout_session_count as integer) as checkout_session_count,
    cast(purchase_session_count as integer) as purchase_session_count,
    cast(order_count as integer) as order_count,
    cast(product_view_session_count as double) / session_count as product_view_rate,
    cast(add_to_cart_session_count as double) / session_count as add_to_cart_rate,
    cast(checkout_session_count as double) / session_count as checkout_rate,
    cast(purchase_session_count as double) / session_count as conversion_rate,
from daily;

-- one row per customer and day with a revenue order, with the previous such day and week
create or replace table marketing.customer_active_days as
with

active_days as (
    select distinct customer_id, order_date
    from marketing.orders
    where is_revenue_order
),

sequenced as (
    select
        customer_id,
        order_date,
        lag(order_date) over (partition by customer_id order by order_date) as previous_order_date,
        min(order_date) over (partition by customer_id) as first_order_date,
    from active_days
)

select
    sequenced.customer_id,
    coalesce(customers.region, 'Unknown') as region,
    sequenced.order_date,
    cast(date_trunc('week', sequenced.order_date) as date) as order_week,
    sequenced.previous_order_date,
    cast(date_trunc('week', sequenced.previous_order_date) as date) as previous_order_week,
    cast(date_trunc('week', sequenced.first_order_date) as date) as first_order_week,
from sequenced
left join marketing.customers as customers
    on sequenced.customer_id = customers.customer_id
order by sequenced.order_date, sequenced.customer_id;

create or replace table marketing.cohort_activity_daily as
select
    first_order_week,
    order_week,
    order_date,
    region,
    cast(count(*) as integer) as customer_count,
from marketing.customer_active_days
where previous_order_week is null or previous_order_week < order_week
group by first_order_week, order_week, order_date, region;


---------- marts: product

create or replace table product.order_items as
select
    order_item_id,
    order_id,
    product_id,
    quantity,
    unit_price,
    discount_pct,
    gross_amount,
    discount_amount,
    net_amount,
from int_order_items_validated
where is_valid;

-- products sold but missing from the catalog are kept as inferred members; cost uses the current unit cost
create or replace table product.products as
with

product_sales as (
    select
        order_items.product_id,
        sum(order_items.quantity) as units_sold,
        count(distinct order_items.order_id) as order_count,
        sum(order_items.net_amount) as revenue,
    from product.order_items as order_items
    inner join marketing.orders as orders
        on order_items.order_id = orders.order_id
    where orders.is_revenue_order
    group by order_items.product_id
),

inferred_products as (
    select distinct order_items.product_id
    from product.order_items as order_items
    left join stg_catalog__products as products
        on order_items.product_id = products.product_id
    where products.product_id is null
),

all_products as (
    select
        product_id,
        sku,
        product_name,
        coalesce(category, 'unknown') as category,
        subcategory,
        supplier,
        color,
        weight_kg,
        unit_cost,
        list_price,
        is_active,
        true as is_in_catalog,
        updated_at as catalog_updated_at,
    from stg_catalog__products

    union all

    select
        product_id,
        null as sku,
        'unknown product' as product_name,
        'unknown' as category,
        null as subcategory,
        null as supplier,
        null as color,
        null as weight_kg,
        null as unit_cost,
        null as list_price,
        false as is_active,
        false as is_in_catalog,
        null as catalog_updated_at,
    from inferred_products
),

measured as (
    select
        all_products.*,
        coalesce(product_sales.units_sold, 0) as units_sold,
        coalesce(product_sales.order_count, 0) as order_count,
        coalesce(product_sales.revenue, 0) as revenue,
        coalesce(product_sales.units_sold, 0) * all_products.unit_cost as cost,
    from all_products
    left join product_sales
        on all_products.product_id = product_sales.product_id
)

select
    product_id,
    sku,
    product_name,
    category,
    subcategory,
    supplier,
    color,
    weight_kg,
    cast(unit_cost as decimal(18, 2)) as unit_cost,
    cast(list_price as decimal(18, 2)) as list_price,
    is_active,
    is_in_catalog,
    catalog_updated_at,
    cast(units_sold as integer) as units_sold,
    cast(order_count as integer) as order_count,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(cost as decimal(18, 2)) as cost,
    cast(revenue - cost as decimal(18, 2)) as margin,
    cast(round((revenue - cost) / nullif(revenue, 0), 4) as double) as margin_pct,
from measured;

-- category sales per ISO week beside the vendor's indicators for that week; a week and category appears when it
-- has either
create or replace table product.product_market_weekly as
with

weekly_sales as (
    select
        cast(date_trunc('week', orders.order_date) as date) as week_start_date,
        products.category,
        sum(order_items.quantity) as units_sold,
        sum(order_items.net_amount) as revenue,
        count(distinct order_items.order_id) as order_count,
    from product.order_items as order_items
    inner join marketing.orders as orders
        on order_items.order_id = orders.order_id
    inner join product.products as products
        on order_items.product_id = products.product_id
    where orders.is_revenue_order
    group by 1, 2
),

weekly_indicators as (
    select
        cast(date_trunc('week', indicator_date) as date) as week_start_date,
        category,
        avg(cast(case when indicator_name = 'category_demand_index' then indicator_value end as decimal(38, 6)))
            as category_demand_index,
        avg(cast(case when indicator_name = 'avg_competitor_price' then indicator_value end as decimal(38, 6)))
            as avg_competitor_price,
        avg(cast(case when indicator_name = 'consumer_confidence' then indicator_value end as decimal(38, 6)))
            as consumer_confidence,
    from stg_market__indicators
    group by 1, 2
),

joined as (
    select
        coalesce(weekly_sales.week_start_date, weekly_indicators.week_start_date) as week_start_date,
        coalesce(weekly_sales.category, weekly_indicators.category) as category,
        coalesce(weekly_sales.units_sold, 0) as units_sold,
        coalesce(weekly_sales.revenue, 0) as revenue,
        coalesce(weekly_sales.order_count, 0) as order_count,
        weekly_indicators.category_demand_index,
        weekly_indicators.avg_competitor_price,
        weekly_indicators.consumer_confidence,
    from weekly_sales
    full outer join weekly_indicators
        on
            weekly_sales.week_start_date = weekly_indicators.week_start_date
            and weekly_sales.category = weekly_indicators.category
)

select
    week_start_date,
    category,
    cast(units_sold as integer) as units_sold,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(order_count as integer) as order_count,
    cast(round(revenue / nullif(units_sold, 0), 2) as double) as average_selling_price,
    cast(category_demand_index as double) as category_demand_index,
    cast(avg_competitor_price as double) as avg_competitor_price,
    cast(consumer_confidence as double) as consumer_confidence,
    cast(round(revenue / nullif(units_sold, 0) / nullif(avg_competitor_price, 0), 4) as double) as price_index,
from joined;

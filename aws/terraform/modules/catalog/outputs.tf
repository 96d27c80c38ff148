output "bronze_database_name" {
  description = "Name of the bronze Glue database"
  value       = try(aws_glue_catalog_database.this["bronze"].name, null)
}

output "silver_database_name" {
  description = "Name of the silver Glue database (dbt's intermediate models)"
  value       = try(aws_glue_catalog_database.this["silver"].name, null)
}

output "gold_database_name" {
  description = "Name of the gold Glue database (dbt's marts: the data products)"
  value       = try(aws_glue_catalog_database.this["gold"].name, null)
}

output "bronze_table_names" {
  description = "Names of the bronze tables (one per stream, <source>__<stream>)"
  value       = sort(keys(aws_glue_catalog_table.bronze))
}

output "bronze_table_locations" {
  description = "Map of bronze table name to its S3 location"
  value       = { for name, table in aws_glue_catalog_table.bronze : name => table.storage_descriptor[0].location }
}

output "mwaa_webserver_url" {
  description = "URL of the MWAA Airflow UI"
  value       = module.mwaa.webserver_url
}

output "run_log_table" {
  description = "Name of the DynamoDB run log"
  value       = module.run_log.table_name
}

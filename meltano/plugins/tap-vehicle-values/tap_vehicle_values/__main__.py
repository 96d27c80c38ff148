from tap_vehicle_values.tap import main

main()

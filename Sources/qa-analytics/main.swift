print("qa-analytics")

"""인사/근태: staff, clock-in records, overtime orders, trips, trainings, and monthly results.

The HR and attendance system is where the overtime-pay, meal-allowance, travel-expense and
training robots read their raw data (an attendance export, trips, completions) and where they
type back what they computed, one entry per person and month (or trip), never twice.
"""

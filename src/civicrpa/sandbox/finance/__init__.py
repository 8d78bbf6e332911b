"""재정/지출: register payments after an account-holder check, list them, export them.

The city's local-finance system (e-호조-like) is where every benefit finally becomes money.
Robots register one payment per approved application; the 예금주 조회 step and the unique
참조번호 are the two guards that keep them from paying a wrong or a second time.
"""

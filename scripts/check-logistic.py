#!/usr/bin/env python3
"""Checks joinedup's logistic regression and AUC against independent implementations.

    scripts/check-logistic.py DIR

DIR holds design.csv (y, then the feature columns; the intercept is added here) and
joinedup.json ({"coefficients": [...], "standard_errors": [...], "auc": ..., "scores": "design
column of predicted probabilities"}), written by Tests/CareStatisticsTests. Fits statsmodels'
Logit on the same matrix and computes scikit-learn's roc_auc_score on the same predictions; exits
1 if any coefficient or standard error differs by more than 1e-6, or the AUC by more than 1e-12.
Exits 77 (skip) when statsmodels or scikit-learn is not installed.
"""
import csv, json, sys

try:
    import numpy as np
    import statsmodels.api as sm
    from sklearn.metrics import roc_auc_score
except ImportError as e:
    print(f"check-logistic: skipped: {e}")
    sys.exit(77)

d = sys.argv[1]
rows = list(csv.reader(open(f"{d}/design.csv")))
header, data = rows[0], np.array([[float(v) for v in r] for r in rows[1:]])
y, X = data[:, 0], sm.add_constant(data[:, 1:], has_constant="add")
ours = json.load(open(f"{d}/joinedup.json"))
fit = sm.Logit(y, X).fit(disp=0, tol=1e-12, maxiter=100)
worst = 0.0
for name, theirs, mine in [("coefficient", fit.params, ours["coefficients"]), ("standard error", fit.bse, ours["standard_errors"])]:
    for j, (a, b) in enumerate(zip(theirs, mine)):
        worst = max(worst, abs(a - b))
        if abs(a - b) > 1e-6:
            print(f"check-logistic: {name} {j}: statsmodels {a!r}, joinedup {b!r}")
            sys.exit(1)
p = fit.predict(X)
auc = roc_auc_score(y, p)
if abs(auc - ours["auc"]) > 1e-12:
    print(f"check-logistic: AUC: scikit-learn {auc!r}, joinedup {ours['auc']!r}")
    sys.exit(1)
print(f"check-logistic: {len(y)} rows, {X.shape[1]} coefficients: statsmodels and joinedup agree to {worst:.1e}; AUC {auc:.6f} as scikit-learn's")

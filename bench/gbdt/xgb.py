"""XGBoost 1.7.4 side of the GBDT benchmark: the same CSV files, the same hyperparameters, the same thread count.

Prints one JSON object: load/train/predict times, the hold-out AUC and batch prediction throughput.
Run with Debian's /usr/bin/python3 (the one with xgboost 1.7.4 and scikit-learn).
"""
import argparse
import json
import time

import xgboost as xgb
from sklearn.metrics import roc_auc_score

parser = argparse.ArgumentParser()
parser.add_argument('--train', required=True)
parser.add_argument('--test', required=True)
parser.add_argument('--threads', type=int, required=True)
parser.add_argument('--rounds', type=int, default=100)
parser.add_argument('--model-out')
parser.add_argument('--predict', action='store_true', help='also time batch prediction of the training rows')
args = parser.parse_args()

started = time.perf_counter()
train = xgb.DMatrix(f'{args.train}?format=csv&label_column=0', nthread=args.threads)
loaded = time.perf_counter()
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 6, 'eta': 0.3, 'max_bin': 256,
          'nthread': args.threads, 'eval_metric': 'logloss'}
booster = xgb.train(params, train, args.rounds, evals=[(train, 'train')], verbose_eval=False)
trained = time.perf_counter()
if args.model_out:
    booster.save_model(args.model_out)
test = xgb.DMatrix(f'{args.test}?format=csv&label_column=0', nthread=args.threads)
auc = roc_auc_score(test.get_label(), booster.predict(test))
result = {'version': xgb.__version__, 'load_s': loaded - started, 'train_s': trained - loaded, 'auc': auc,
          'rows': train.num_row()}
if args.predict:
    # A fresh DMatrix each time: XGBoost caches the predictions of a DMatrix it has seen (the training one included).
    best = float('inf')
    for _ in range(3):
        rows = xgb.DMatrix(f'{args.train}?format=csv&label_column=0', nthread=args.threads)
        t = time.perf_counter()
        booster.predict(rows)
        best = min(best, time.perf_counter() - t)
    result['predict_rows_per_s'] = train.num_row() / best
print(json.dumps(result))

#!/usr/bin/python3
"""bench/metrics.py against rankings worked out by hand."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import metrics  # noqa: E402

# One query judged a: 3, b: 2, c: 0 (judged not relevant), d: 1; x is unjudged.
JUDGED = {"a": 3, "b": 2, "c": 0, "d": 1}
RANKED = ["c", "a", "x", "d", "b"]


class HandWorkedExample(unittest.TestCase):
    def test_ndcg_discounts_each_gain_by_log2_of_its_rank_plus_one_against_the_ideal_order(self):
        # DCG  = 3/log2(3) + 1/log2(5) + 2/log2(6) = 1.892789 + 0.430677 + 0.773706 = 3.097172
        # IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5         = 4.761860
        self.assertAlmostEqual(metrics.ndcg_at(RANKED, JUDGED, 10), 3.097172 / 4.761860, places=5)
        self.assertAlmostEqual(metrics.ndcg_at(RANKED, JUDGED, 10), 0.650413, places=5)

    def test_ndcg_cut_at_k_keeps_the_ideal_to_k_documents(self):
        # top 2: only a at rank 2; ideal top 2: 3 + 2/log2(3)
        self.assertAlmostEqual(metrics.ndcg_at(RANKED, JUDGED, 2), 1.892789 / 4.261860, places=5)

    def test_reciprocal_rank_is_one_over_the_first_relevant_rank_and_a_zero_gain_is_not_relevant(self):
        self.assertEqual(metrics.reciprocal_rank_at(RANKED, JUDGED, 10), 0.5)
        self.assertEqual(metrics.reciprocal_rank_at(RANKED, JUDGED, 1), 0.0)

    def test_average_precision_sums_precision_at_each_relevant_rank_over_all_relevant(self):
        # a at 2 (1/2), d at 4 (2/4), b at 5 (3/5): (0.5 + 0.5 + 0.6) / 3
        self.assertAlmostEqual(metrics.average_precision_at(RANKED, JUDGED, 100), 1.6 / 3)
        # cut at 4: b is missed but still counts in the denominator
        self.assertAlmostEqual(metrics.average_precision_at(RANKED, JUDGED, 4), 1.0 / 3)

    def test_recall_counts_the_relevant_documents_found_in_the_top_k(self):
        self.assertEqual(metrics.recall_at(RANKED, JUDGED, 100), 1.0)
        self.assertAlmostEqual(metrics.recall_at(RANKED, JUDGED, 3), 1 / 3)

    def test_a_repeated_document_counts_at_its_first_rank_only(self):
        self.assertEqual(metrics.average_precision_at(["a", "a", "b"], {"a": 1, "b": 1}, 100), 1.0)
        self.assertAlmostEqual(metrics.ndcg_at(["a", "a"], {"a": 1, "b": 1}, 10), 1 / (1 + 1 / 1.5849625))


class Means(unittest.TestCase):
    def test_the_mean_is_over_judged_queries_and_an_unanswered_one_counts_zero(self):
        qrels = {"1": {"a": 1}, "2": {"b": 1}, "3": {"c": 0}}
        run = {"1": ["a"], "3": ["c"]}
        result = metrics.evaluate(run, qrels)
        self.assertEqual(result["mrr@10"], 0.5)
        self.assertEqual(result["ndcg@10"], 0.5)
        self.assertEqual(result["recall@100"], 0.5)

    def test_run_and_qrels_files_read_back_what_was_written(self):
        with tempfile.TemporaryDirectory() as work:
            run_path = os.path.join(work, "run.trec")
            metrics.write_run(run_path, {"7": [("b", 2.5), ("a", 1.0)]}, "test")
            self.assertEqual(metrics.read_run(run_path), {"7": ["b", "a"]})
            qrels_path = os.path.join(work, "qrels.trec")
            with open(qrels_path, "w") as f:
                f.write("7 0 a 2\n7 0 b -1\n")
            self.assertEqual(metrics.read_qrels(qrels_path), {"7": {"a": 2, "b": 0}})


if __name__ == "__main__":
    unittest.main()

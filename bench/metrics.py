"""Ranking metrics as trec_eval computes them, over TREC qrels and run files.

Gains are the qrels' grades (0 = judged not relevant). Per query:
- nDCG@k: sum of gain / log2(rank + 1) over the top k, divided by the same
  sum for the ideal order of all the query's judged gains (trec_eval's
  ndcg_cut_k);
- RR@k: 1 / rank of the first relevant document in the top k, else 0;
- AP@k: the precision at each relevant document's rank within the top k,
  summed and divided by the query's number of relevant documents
  (trec_eval's map_cut_k);
- Recall@k: the relevant documents in the top k over all relevant ones.
A document repeated in a ranking counts at its first rank only. Means are over
the queries with at least one relevant judgment; a query the run does not
answer counts as zero.
"""
import math

METRICS = ("ndcg@10", "mrr@10", "map@100", "recall@100")


def read_qrels(path):
    """{query id: {document id: gain}} from `qid 0 docid gain` lines."""
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) != 4:
                continue
            qid, _, doc, gain = fields
            qrels.setdefault(qid, {})[doc] = max(0, int(float(gain)))
    return qrels


def read_run(path):
    """{query id: [document ids, best first]} from a TREC run file."""
    scored = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, doc, rank, _score, _tag = line.split()
            scored.setdefault(qid, []).append((int(rank), doc))
    return {qid: [doc for _, doc in sorted(pairs)] for qid, pairs in scored.items()}


def write_run(path, rankings, tag):
    """Writes {query id: [(document id, score), ...]} as a TREC run file."""
    with open(path, "w", encoding="utf-8") as out:
        for qid, hits in rankings.items():
            for rank, (doc, score) in enumerate(hits, start=1):
                out.write("%s Q0 %s %d %.6f %s\n" % (qid, doc, rank, score, tag))


def _first_ranks(ranked):
    return list(dict.fromkeys(ranked))


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked, judged, k):
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(d, 0) for d in _first_ranks(ranked)[:k]]) / ideal


def reciprocal_rank_at(ranked, judged, k):
    for i, d in enumerate(_first_ranks(ranked)[:k]):
        if judged.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def average_precision_at(ranked, judged, k):
    relevant = sum(1 for g in judged.values() if g > 0)
    if relevant == 0:
        return 0.0
    found, total = 0, 0.0
    for i, d in enumerate(_first_ranks(ranked)[:k]):
        if judged.get(d, 0) > 0:
            found += 1
            total += found / (i + 1)
    return total / relevant


def recall_at(ranked, judged, k):
    relevant = {d for d, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_first_ranks(ranked)[:k])) / len(relevant)


def per_query(ranked, judged):
    return {
        "ndcg@10": ndcg_at(ranked, judged, 10),
        "mrr@10": reciprocal_rank_at(ranked, judged, 10),
        "map@100": average_precision_at(ranked, judged, 100),
        "recall@100": recall_at(ranked, judged, 100),
    }


def judged_queries(qrels):
    """The query ids with at least one relevant document, sorted."""
    return sorted(q for q, judged in qrels.items() if any(g > 0 for g in judged.values()))


def evaluate(run, qrels):
    """Mean of each metric over the judged queries of `qrels`."""
    queries = judged_queries(qrels)
    totals = dict.fromkeys(METRICS, 0.0)
    for qid in queries:
        for name, value in per_query(run.get(qid, []), qrels[qid]).items():
            totals[name] += value
    return {name: total / len(queries) for name, total in totals.items()} if queries else totals

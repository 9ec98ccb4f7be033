CREATE SCHEMA IF NOT EXISTS "shared";

-- shared score: computed once, read by regions, districts
CREATE TABLE "shared"."score" AS
WITH "regions" /* table regions: region by year */ AS (
  SELECT
    "region",
    "year",
    "district",
    CAST("rd_costs" AS DOUBLE) AS "rd_costs",
    CAST("tech_innovation_costs" AS DOUBLE) AS "tech_innovation_costs",
    CAST("innovative_output" AS DOUBLE) AS "innovative_output",
    CAST("patents" AS DOUBLE) AS "patents",
    CAST("innovative_orgs" AS DOUBLE) AS "innovative_orgs",
    CAST("research_activity" AS DOUBLE) AS "research_activity",
    CAST("tech_activity" AS DOUBLE) AS "tech_activity",
    CAST("labour_productivity" AS DOUBLE) AS "labour_productivity",
    CAST("capital_productivity" AS DOUBLE) AS "capital_productivity",
    CAST("eco_efficiency" AS DOUBLE) AS "eco_efficiency"
  FROM "input"."regions"
), "reductions_by_year" /* in one GROUP BY: max(rd_costs over region), max(tech_innovation_costs over region), max(innovative_output over region), max(patents over region), max(innovative_orgs over region), max(research_activity over region), max(tech_activity over region), max(labour_productivity over region), max(capital_productivity over region), max(eco_efficiency over region) */ AS (
  SELECT
    "year",
    MAX("rd_costs") AS "max_rd_costs_over_region",
    MAX("tech_innovation_costs") AS "max_tech_innovation_costs_over_region",
    MAX("innovative_output") AS "max_innovative_output_over_region",
    MAX("patents") AS "max_patents_over_region",
    MAX("innovative_orgs") AS "max_innovative_orgs_over_region",
    MAX("research_activity") AS "max_research_activity_over_region",
    MAX("tech_activity") AS "max_tech_activity_over_region",
    MAX("labour_productivity") AS "max_labour_productivity_over_region",
    MAX("capital_productivity") AS "max_capital_productivity_over_region",
    MAX("eco_efficiency") AS "max_eco_efficiency_over_region"
  FROM "regions"
  GROUP BY
    "year"
), "activity_and_receptivity" AS (
  SELECT
    "regions".*,
    (
      "regions"."rd_costs" / NULLIF("reductions_by_year"."max_rd_costs_over_region", 0) * 100 + "regions"."tech_innovation_costs" / NULLIF("reductions_by_year"."max_tech_innovation_costs_over_region", 0) * 100 + "regions"."innovative_output" / NULLIF("reductions_by_year"."max_innovative_output_over_region", 0) * 100 + "regions"."patents" / NULLIF("reductions_by_year"."max_patents_over_region", 0) * 100 + "regions"."innovative_orgs" / NULLIF("reductions_by_year"."max_innovative_orgs_over_region", 0) * 100 + "regions"."research_activity" / NULLIF("reductions_by_year"."max_research_activity_over_region", 0) * 100 + "regions"."tech_activity" / NULLIF("reductions_by_year"."max_tech_activity_over_region", 0) * 100
    ) / 7 AS "activity", /* innovation_competitiveness.idx:32 let activity = mean(leader_pct(rd_costs), leader_pct(tech_innovation_costs), leader_pct(innovative_output), leader_pct(patents), leader_pct(innovative_orgs), leader_pct(research_activity), leader_pct(tech_activity)) */
    (
      "regions"."labour_productivity" / NULLIF("reductions_by_year"."max_labour_productivity_over_region", 0) * 100 + "regions"."capital_productivity" / NULLIF("reductions_by_year"."max_capital_productivity_over_region", 0) * 100 + "regions"."eco_efficiency" / NULLIF("reductions_by_year"."max_eco_efficiency_over_region", 0) * 100
    ) / 3 AS "receptivity" /* innovation_competitiveness.idx:37 let receptivity = mean(leader_pct(labour_productivity), leader_pct(capital_productivity), leader_pct(eco_efficiency)) */
  FROM "regions"
  LEFT JOIN "reductions_by_year"
    USING ("year")
), "score" AS (
  SELECT
    *,
    ROUND(
      (
        1 /* w_activity */ * "activity" + 1 /* w_receptivity */ * "receptivity"
      ) / NULLIF(1 /* w_activity */ + 1 /* w_receptivity */, 0),
      2
    ) AS "score" /* innovation_competitiveness.idx:47 let score = round(mean(activity: w_activity, receptivity: w_receptivity), 2) */
  FROM "activity_and_receptivity"
)
SELECT
  "region",
  "year",
  "district",
  "rd_costs",
  "tech_innovation_costs",
  "innovative_output",
  "patents",
  "innovative_orgs",
  "research_activity",
  "tech_activity",
  "labour_productivity",
  "capital_productivity",
  "eco_efficiency",
  "activity",
  "receptivity",
  "score"
FROM "score";

-- output regions
WITH "class_and_place" AS (
  SELECT
    *,
    CASE
      WHEN "score" > 85.0 AND "score" <= 100.0
      THEN 'A+'
      WHEN "score" > 70.0 AND "score" <= 85.0
      THEN 'A'
      WHEN "score" > 55.0 AND "score" <= 70.0
      THEN 'B+'
      WHEN "score" > 40.0 AND "score" <= 55.0
      THEN 'B'
      WHEN "score" > 25.0 AND "score" <= 40.0
      THEN 'C+'
      WHEN "score" > 10.0 AND "score" <= 25.0
      THEN 'C'
      WHEN "score" >= 0.0 AND "score" <= 10.0
      THEN 'D'
    END AS "class", /* innovation_competitiveness.idx:62 output regions: classify(score, rating) as class */
    CASE
      WHEN "score" IS NULL
      THEN NULL
      ELSE RANK() OVER (PARTITION BY "year" ORDER BY "score" DESC)
    END AS "place" /* innovation_competitiveness.idx:62 output regions: rank(score desc ties min) as place */
  FROM "shared"."score"
)
SELECT
  "region",
  "year",
  "activity",
  "receptivity",
  "score",
  "class",
  "place"
FROM "class_and_place"
ORDER BY
  "region",
  "year";

-- output districts
WITH "districts_score" AS (
  SELECT
    "district",
    "year",
    AVG("score") AS "districts_score" /* innovation_competitiveness.idx:66 output districts: mean(score by district) as score */
  FROM "shared"."score"
  GROUP BY
    "district",
    "year"
), "class" AS (
  SELECT
    *,
    CASE
      WHEN "districts_score" > 85.0 AND "districts_score" <= 100.0
      THEN 'A+'
      WHEN "districts_score" > 70.0 AND "districts_score" <= 85.0
      THEN 'A'
      WHEN "districts_score" > 55.0 AND "districts_score" <= 70.0
      THEN 'B+'
      WHEN "districts_score" > 40.0 AND "districts_score" <= 55.0
      THEN 'B'
      WHEN "districts_score" > 25.0 AND "districts_score" <= 40.0
      THEN 'C+'
      WHEN "districts_score" > 10.0 AND "districts_score" <= 25.0
      THEN 'C'
      WHEN "districts_score" >= 0.0 AND "districts_score" <= 10.0
      THEN 'D'
    END AS "class" /* innovation_competitiveness.idx:66 output districts: classify(score, rating) as class */
  FROM "districts_score"
)
SELECT
  "district",
  "year",
  "districts_score" AS "score",
  "class"
FROM "class"
ORDER BY
  "district",
  "year";

-- missing values skipped by max(rd_costs over region), max(tech_innovation_costs over region), max(innovative_output over region), max(patents over region), max(innovative_orgs over region), max(research_activity over region), max(tech_activity over region), max(labour_productivity over region), max(capital_productivity over region), max(eco_efficiency over region), mean(score by district)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("rd_costs") AS "missing_0",
  COUNT(*) AS "cells_1",
  COUNT(*) - COUNT("tech_innovation_costs") AS "missing_1",
  COUNT(*) AS "cells_2",
  COUNT(*) - COUNT("innovative_output") AS "missing_2",
  COUNT(*) AS "cells_3",
  COUNT(*) - COUNT("patents") AS "missing_3",
  COUNT(*) AS "cells_4",
  COUNT(*) - COUNT("innovative_orgs") AS "missing_4",
  COUNT(*) AS "cells_5",
  COUNT(*) - COUNT("research_activity") AS "missing_5",
  COUNT(*) AS "cells_6",
  COUNT(*) - COUNT("tech_activity") AS "missing_6",
  COUNT(*) AS "cells_7",
  COUNT(*) - COUNT("labour_productivity") AS "missing_7",
  COUNT(*) AS "cells_8",
  COUNT(*) - COUNT("capital_productivity") AS "missing_8",
  COUNT(*) AS "cells_9",
  COUNT(*) - COUNT("eco_efficiency") AS "missing_9",
  COUNT(*) AS "cells_10",
  COUNT(*) - COUNT("score") AS "missing_10"
FROM "shared"."score";

CREATE SCHEMA IF NOT EXISTS "shared";

-- shared activity, receptivity, score: computed once, read by regions, districts
CREATE TABLE "shared"."region_year" AS
WITH "regions" /* table regions: region by year */ AS (
  SELECT
    "region",
    "district",
    "year",
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
), "regions_with_reductions_by_year" /* reductions_by_year on every row */ AS (
  SELECT
    "regions".*,
    "reductions_by_year"."max_rd_costs_over_region" AS "max_rd_costs_over_region",
    "reductions_by_year"."max_tech_innovation_costs_over_region" AS "max_tech_innovation_costs_over_region",
    "reductions_by_year"."max_innovative_output_over_region" AS "max_innovative_output_over_region",
    "reductions_by_year"."max_patents_over_region" AS "max_patents_over_region",
    "reductions_by_year"."max_innovative_orgs_over_region" AS "max_innovative_orgs_over_region",
    "reductions_by_year"."max_research_activity_over_region" AS "max_research_activity_over_region",
    "reductions_by_year"."max_tech_activity_over_region" AS "max_tech_activity_over_region",
    "reductions_by_year"."max_labour_productivity_over_region" AS "max_labour_productivity_over_region",
    "reductions_by_year"."max_capital_productivity_over_region" AS "max_capital_productivity_over_region",
    "reductions_by_year"."max_eco_efficiency_over_region" AS "max_eco_efficiency_over_region"
  FROM "regions"
  LEFT JOIN "reductions_by_year"
    USING ("year")
), "activity" /* spec line 32: let activity = mean(leader_pct(rd_costs), leader_pct(tech_innovation_costs), leader_pct(innovative_output), leader_pct(patents), leader_pct(innovative_orgs), leader_pct(research_activity), leader_pct(tech_activity)) */ AS (
  SELECT
    *,
    (
      "rd_costs" / NULLIF("max_rd_costs_over_region", 0) * 100 + "tech_innovation_costs" / NULLIF("max_tech_innovation_costs_over_region", 0) * 100 + "innovative_output" / NULLIF("max_innovative_output_over_region", 0) * 100 + "patents" / NULLIF("max_patents_over_region", 0) * 100 + "innovative_orgs" / NULLIF("max_innovative_orgs_over_region", 0) * 100 + "research_activity" / NULLIF("max_research_activity_over_region", 0) * 100 + "tech_activity" / NULLIF("max_tech_activity_over_region", 0) * 100
    ) / 7 AS "activity"
  FROM "regions_with_reductions_by_year"
), "receptivity" /* spec line 37: let receptivity = mean(leader_pct(labour_productivity), leader_pct(capital_productivity), leader_pct(eco_efficiency)) */ AS (
  SELECT
    *,
    (
      "labour_productivity" / NULLIF("max_labour_productivity_over_region", 0) * 100 + "capital_productivity" / NULLIF("max_capital_productivity_over_region", 0) * 100 + "eco_efficiency" / NULLIF("max_eco_efficiency_over_region", 0) * 100
    ) / 3 AS "receptivity"
  FROM "activity"
), "score" /* spec line 47: let score = round(mean(activity: w_activity, receptivity: w_receptivity), 2) */ AS (
  SELECT
    *,
    ROUND((
      "activity" + "receptivity"
    ) / 2, 2) AS "score"
  FROM "receptivity"
)
SELECT
  "region",
  "year",
  "district",
  "activity",
  "receptivity",
  "score"
FROM "score";

-- output regions
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "year",
    "activity",
    "receptivity",
    "score"
  FROM "shared"."region_year"
), "class" /* spec line 62: output regions: classify(score, rating) as class */ AS (
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
    END AS "class"
  FROM "region_year"
), "place" /* spec line 62: output regions: rank(score desc ties min) as place */ AS (
  SELECT
    *,
    CASE
      WHEN "score" IS NULL
      THEN NULL
      ELSE RANK() OVER (PARTITION BY "year" ORDER BY "score" DESC)
    END AS "place"
  FROM "class"
)
SELECT
  "region",
  "year",
  "activity",
  "receptivity",
  "score",
  "class",
  "place"
FROM "place"
ORDER BY
  "region",
  "year";

-- output districts
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "district",
    "year",
    "score"
  FROM "shared"."region_year"
), "districts_score" /* spec line 66: output districts: mean(score by district) as score */ AS (
  SELECT
    "district",
    "year",
    AVG("score") AS "districts_score"
  FROM "region_year"
  GROUP BY
    "district",
    "year"
), "class" /* spec line 66: output districts: classify(score, rating) as class */ AS (
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
    END AS "class"
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

-- output import_substitution
WITH "industries" /* table industries: industry by year */ AS (
  SELECT
    "industry",
    "year",
    CAST("output" AS DOUBLE) AS "output"
  FROM "input"."industries"
), "industry_chain" AS (
  SELECT
    *,
    COALESCE(
      "output" / NULLIF(
        CASE
          WHEN LAG("year") OVER "per_industry_along_year" = "year" - 1
          THEN LAG("output") OVER "per_industry_along_year"
        END,
        0
      ),
      1
    ) AS "industry_chain" /* import_substitution.idx:30 let industry_chain = chain(output) ?? 1 */
  FROM "industries"
  WINDOW "per_industry_along_year" AS (PARTITION BY "industry" ORDER BY "year")
), "economy" /* table economy: year */ AS (
  SELECT
    "year",
    CAST("return_on_assets_index_pct" AS DOUBLE) AS "return_on_assets_index_pct",
    CAST("high_productivity_jobs_growth_pct" AS DOUBLE) AS "high_productivity_jobs_growth_pct",
    CAST("technological_dependency_pct" AS DOUBLE) AS "technological_dependency_pct",
    CAST("fixed_investment_index_pct" AS DOUBLE) AS "fixed_investment_index_pct",
    CAST("amt_used_units" AS DOUBLE) AS "amt_used_units",
    CAST("labour_productivity_index_pct" AS DOUBLE) AS "labour_productivity_index_pct",
    CAST("capital_renewal_rate_pct" AS DOUBLE) AS "capital_renewal_rate_pct"
  FROM "input"."economy"
), "initial" AS (
  SELECT
    *
  FROM "economy"
  FULL JOIN (
    SELECT
      "year",
      CASE
        WHEN MIN(ABS("industry_chain")) = 0
        THEN 0
        ELSE EXP(SUM(LN(ABS(NULLIF("industry_chain", 0))))) * CASE
          WHEN SUM(CASE WHEN "industry_chain" < 0 THEN 1 ELSE 0 END) % 2 = 1
          THEN -1
          ELSE 1
        END
      END AS "initial" /* import_substitution.idx:34 let initial = product(industry_chain over industry) */
    FROM "industry_chain"
    GROUP BY
      "year"
  ) AS "initial"
    USING ("year")
), "return_on_assets_to_capital_renewal" AS (
  SELECT
    *,
    "return_on_assets_index_pct" / 100 AS "return_on_assets", /* import_substitution.idx:39 let return_on_assets = return_on_assets_index_pct / 100 */
    1 + "high_productivity_jobs_growth_pct" / 100 AS "high_productivity_jobs", /* import_substitution.idx:40 let high_productivity_jobs = 1 + high_productivity_jobs_growth_pct / 100 */
    "technological_dependency_pct" / NULLIF(
      CASE
        WHEN LAG("year") OVER "over_all_along_year" = "year" - 1
        THEN LAG("technological_dependency_pct") OVER "over_all_along_year"
      END,
      0
    ) AS "technological_dependency_change", /* import_substitution.idx:41 let technological_dependency_change = chain(technological_dependency_pct) */
    "fixed_investment_index_pct" / 100 AS "fixed_investment", /* import_substitution.idx:48 let fixed_investment = fixed_investment_index_pct / 100 */
    "amt_used_units" / NULLIF(
      CASE
        WHEN LAG("year") OVER "over_all_along_year" = "year" - 1
        THEN LAG("amt_used_units") OVER "over_all_along_year"
      END,
      0
    ) AS "amt_used", /* import_substitution.idx:49 let amt_used = chain(amt_used_units) */
    "labour_productivity_index_pct" / 100 AS "labour_productivity", /* import_substitution.idx:50 let labour_productivity = labour_productivity_index_pct / 100 */
    1 + "capital_renewal_rate_pct" / 100 AS "capital_renewal" /* import_substitution.idx:51 let capital_renewal = 1 + capital_renewal_rate_pct / 100 */
  FROM "initial"
  WINDOW "over_all_along_year" AS (ORDER BY "year")
), "basic_and_stability" AS (
  SELECT
    *,
    "return_on_assets" * "high_productivity_jobs" * "technological_dependency_change" AS "basic", /* import_substitution.idx:45 let basic = return_on_assets * high_productivity_jobs * technological_dependency_change */
    "fixed_investment" * "amt_used" * "labour_productivity" * "capital_renewal" AS "stability" /* import_substitution.idx:52 let stability = fixed_investment * amt_used * labour_productivity * capital_renewal */
  FROM "return_on_assets_to_capital_renewal"
), "structural" AS (
  SELECT
    *,
    "initial" * "basic" * "stability" AS "structural" /* import_substitution.idx:55 let structural = initial * basic * stability */
  FROM "basic_and_stability"
)
SELECT
  "year",
  "initial",
  "basic",
  "stability",
  "structural"
FROM "structural"
ORDER BY
  "year";

-- missing values skipped by product(industry_chain over industry)
WITH "industries" /* table industries: industry by year */ AS (
  SELECT
    "industry",
    "year",
    CAST("output" AS DOUBLE) AS "output"
  FROM "input"."industries"
)
SELECT
  COUNT(*) AS "cells_0",
  0 AS "missing_0"
FROM "industries";

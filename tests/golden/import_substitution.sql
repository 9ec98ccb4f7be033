-- output import_substitution
WITH "industries" /* table industries: industry by year */ AS (
  SELECT
    "industry",
    "year",
    CAST("output" AS DOUBLE) AS "output"
  FROM "input"."industries"
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
), "industries_earlier_periods" /* earlier periods of table columns, in one window pass */ AS (
  SELECT
    *,
    CASE
      WHEN LAG("year") OVER (PARTITION BY "industry" ORDER BY "year") = "year" - 1
      THEN LAG("output") OVER (PARTITION BY "industry" ORDER BY "year")
    END AS "output_previous"
  FROM "industries"
), "economy_earlier_periods" /* earlier periods of table columns, in one window pass */ AS (
  SELECT
    *,
    CASE
      WHEN LAG("year") OVER (ORDER BY "year") = "year" - 1
      THEN LAG("technological_dependency_pct") OVER (ORDER BY "year")
    END AS "technological_dependency_pct_previous",
    CASE
      WHEN LAG("year") OVER (ORDER BY "year") = "year" - 1
      THEN LAG("amt_used_units") OVER (ORDER BY "year")
    END AS "amt_used_units_previous"
  FROM "economy"
), "industry_chain" /* spec line 30: let industry_chain = chain(output) ?? 1 */ AS (
  SELECT
    *,
    COALESCE("output" / NULLIF("output_previous", 0), 1) AS "industry_chain"
  FROM "industries_earlier_periods"
), "initial" /* spec line 34: let initial = product(industry_chain over industry) */ AS (
  SELECT
    *
  FROM "economy_earlier_periods"
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
      END AS "initial"
    FROM "industry_chain"
    GROUP BY
      "year"
  ) AS "initial"
    USING ("year")
), "return_on_assets" /* spec line 39: let return_on_assets = return_on_assets_index_pct / 100 */ AS (
  SELECT
    *,
    "return_on_assets_index_pct" / 100 AS "return_on_assets"
  FROM "initial"
), "high_productivity_jobs" /* spec line 40: let high_productivity_jobs = 1 + high_productivity_jobs_growth_pct / 100 */ AS (
  SELECT
    *,
    1 + "high_productivity_jobs_growth_pct" / 100 AS "high_productivity_jobs"
  FROM "return_on_assets"
), "technological_dependency_change" /* spec line 41: let technological_dependency_change = chain(technological_dependency_pct) */ AS (
  SELECT
    *,
    "technological_dependency_pct" / NULLIF("technological_dependency_pct_previous", 0) AS "technological_dependency_change"
  FROM "high_productivity_jobs"
), "basic" /* spec line 45: let basic = return_on_assets * high_productivity_jobs * technological_dependency_change */ AS (
  SELECT
    *,
    "return_on_assets" * "high_productivity_jobs" * "technological_dependency_change" AS "basic"
  FROM "technological_dependency_change"
), "fixed_investment" /* spec line 48: let fixed_investment = fixed_investment_index_pct / 100 */ AS (
  SELECT
    *,
    "fixed_investment_index_pct" / 100 AS "fixed_investment"
  FROM "basic"
), "amt_used" /* spec line 49: let amt_used = chain(amt_used_units) */ AS (
  SELECT
    *,
    "amt_used_units" / NULLIF("amt_used_units_previous", 0) AS "amt_used"
  FROM "fixed_investment"
), "labour_productivity" /* spec line 50: let labour_productivity = labour_productivity_index_pct / 100 */ AS (
  SELECT
    *,
    "labour_productivity_index_pct" / 100 AS "labour_productivity"
  FROM "amt_used"
), "capital_renewal" /* spec line 51: let capital_renewal = 1 + capital_renewal_rate_pct / 100 */ AS (
  SELECT
    *,
    1 + "capital_renewal_rate_pct" / 100 AS "capital_renewal"
  FROM "labour_productivity"
), "stability" /* spec line 52: let stability = fixed_investment * amt_used * labour_productivity * capital_renewal */ AS (
  SELECT
    *,
    "fixed_investment" * "amt_used" * "labour_productivity" * "capital_renewal" AS "stability"
  FROM "capital_renewal"
), "structural" /* spec line 55: let structural = initial * basic * stability */ AS (
  SELECT
    *,
    "initial" * "basic" * "stability" AS "structural"
  FROM "stability"
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

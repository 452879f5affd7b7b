//! Implausible data, warned about (never fatal): a running total that falls
//! within a year, a month's value above the year's running total, a share of
//! the plan that falls within a year.

use crate::content::Placement;
use crate::diagnostics::{Diagnostic, Problem};
use crate::site::{Indicator, IndicatorKind};

use super::Series;

/// Warnings for one indicator's series.
pub fn check(indicator: &Indicator, series: &Series, articles: &[Placement]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let warn = |article: &Placement, line: usize, problem| Diagnostic {
        line,
        col: 1,
        ..Diagnostic::file(article.source, problem)
    };
    let observation = |(a, r): (usize, usize)| (a, &articles[a].readings[r]);
    let id = &indicator.id;
    // The last running total and share of plan seen in the current year.
    let mut year = None;
    let mut last_total: Option<(f64, usize)> = None;
    let mut last_plan: Option<(f64, usize)> = None;
    for point in &series.points {
        let (article, reading) = observation(point.reports[0]);
        if year != Some(point.period.0) {
            (year, last_total, last_plan) = (Some(point.period.0), None, None);
        }
        let later = &articles[article];
        if let Some(total) = reading.cumulative {
            if let Some((before, a)) = last_total.filter(|(before, _)| total < *before) {
                if indicator.kind == IndicatorKind::Flow {
                    let earlier = articles[a].source.to_path_buf();
                    let problem =
                        Problem::CumulativeFalls { id: id.clone(), from: before, to: total, earlier };
                    warnings.push(warn(later, reading.line, problem));
                }
            }
            last_total = Some((total, article));
        }
        if let Some(plan) = reading.plan {
            if let Some((before, a)) = last_plan.filter(|(before, _)| plan < *before) {
                let earlier = articles[a].source.to_path_buf();
                let problem = Problem::PlanFalls { id: id.clone(), from: before, to: plan, earlier };
                warnings.push(warn(later, reading.line, problem));
            }
            last_plan = Some((plan, article));
        }
    }
    for point in &series.points {
        for &report in &point.reports {
            let (article, reading) = observation(report);
            if let (Some(value), Some(total), IndicatorKind::Flow) =
                (reading.value, reading.cumulative, indicator.kind)
            {
                if value > total {
                    let problem = Problem::ValueAboveCumulative { id: id.clone(), value, cumulative: total };
                    warnings.push(warn(&articles[article], reading.line, problem));
                }
            }
        }
    }
    warnings
}

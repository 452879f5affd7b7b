//! Implausible data, warned about (never fatal): a running total that falls
//! within a year, a month's value above the year's running total, a share of
//! the plan that falls within a year.

use crate::content::Article;
use crate::diagnostics::{Diagnostic, Problem};
use crate::site::{Indicator, IndicatorKind};

use super::{observation, Series};

/// Warnings for one indicator's series.
pub fn check(indicator: &Indicator, series: &Series, articles: &[Article]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let warn = |article: &Article, line: usize, problem| Diagnostic {
        line,
        col: 1,
        ..Diagnostic::file(&article.source, problem)
    };
    let id = &indicator.id;
    let headlines: Vec<_> = series.points.iter().map(|p| observation(articles, p.reports[0])).collect();
    for pair in headlines.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        if before.reading.period.0 != after.reading.period.0 {
            continue;
        }
        let later = &articles[after.article];
        let earlier = articles[before.article].source.clone();
        if let (Some(a), Some(b)) = (before.reading.cumulative, after.reading.cumulative) {
            if b < a && indicator.kind == IndicatorKind::Flow {
                let problem =
                    Problem::CumulativeFalls { id: id.clone(), from: a, to: b, earlier: earlier.clone() };
                warnings.push(warn(later, after.reading.line, problem));
            }
        }
        if let (Some(a), Some(b)) = (before.reading.plan, after.reading.plan) {
            if b < a {
                let problem = Problem::PlanFalls { id: id.clone(), from: a, to: b, earlier };
                warnings.push(warn(later, after.reading.line, problem));
            }
        }
    }
    for point in &series.points {
        for &report in &point.reports {
            let o = observation(articles, report);
            if let (Some(value), Some(total), IndicatorKind::Flow) =
                (o.reading.value, o.reading.cumulative, indicator.kind)
            {
                if value > total {
                    let problem = Problem::ValueAboveCumulative { id: id.clone(), value, cumulative: total };
                    warnings.push(warn(&articles[o.article], o.reading.line, problem));
                }
            }
        }
    }
    warnings
}

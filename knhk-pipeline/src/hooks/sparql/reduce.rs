//! SPARQL algebra to a [`Reading`]: walks the parsed query once, collects its one triple
//! pattern, its `VALUES`, its `FILTER`s and its `COUNT`, and refuses, by name, any construct
//! the ops cannot compute. Equivalent spellings meet here: `COUNT(?o)` and `COUNT(*)`, `v < ?o`
//! and `?o > v`, `> k - 1` and `>= k`, a one-row `VALUES` and a constant in the pattern.

use spargebra::algebra::{
    AggregateExpression, AggregateFunction, Expression, Function, GraphPattern,
};
use spargebra::term::{
    GroundTerm, Literal, NamedNode, NamedNodePattern, Term, TermPattern, TriplePattern, Variable,
};
use spargebra::Query;

use super::error::Refusal;
use super::reading::{CountRule, Form, ObjectTest, Reading, Slot};
use crate::ingest::XSD_INTEGER;
use crate::numeric::{numeric_kind, Comparison, NumericConstant};

/// Reads `query` down to the one triple pattern and condition the ops compute.
///
/// # Errors
///
/// The [`Refusal`] naming the first construct that does not fit.
pub(super) fn read(query: &Query) -> Result<Reading, Refusal> {
    let (pattern, template) = match query {
        Query::Describe { .. } => return Err(Refusal::Describe),
        Query::Ask {
            dataset: Some(_), ..
        }
        | Query::Select {
            dataset: Some(_), ..
        }
        | Query::Construct {
            dataset: Some(_), ..
        } => return Err(Refusal::Dataset),
        Query::Ask { pattern, .. } | Query::Select { pattern, .. } => (pattern, None),
        Query::Construct {
            template, pattern, ..
        } => (pattern, Some(template.as_slice())),
    };
    let mut parts = Parts::default();
    parts.walk(pattern, false)?;
    let triple = match parts.triples.as_slice() {
        [triple] => *triple,
        triples => {
            return Err(Refusal::TriplePatterns {
                count: triples.len(),
            })
        }
    };
    let NamedNodePattern::NamedNode(predicate) = &triple.predicate else {
        return Err(Refusal::VariablePredicate);
    };
    let (subject, subject_var) = parts.slot(&triple.subject)?;
    let (object, object_var) = parts.slot(&triple.object)?;
    if subject_var.is_some() && subject_var == object_var {
        return Err(Refusal::SameVariable);
    }
    if let Slot::Fixed(Term::Literal(_)) = subject {
        return Err(Refusal::LiteralSubject);
    }
    for (i, (variable, _)) in parts.values.iter().enumerate() {
        if Some(*variable) != subject_var && Some(*variable) != object_var {
            return Err(Refusal::Values(
                "binds a variable the triple pattern does not have",
            ));
        }
        if parts.values[..i].iter().any(|(seen, _)| seen == variable) {
            return Err(Refusal::Values("binds a variable twice"));
        }
    }
    let form = match (query, template) {
        (Query::Select { .. }, _) => {
            let projects_object = matches!(
                (parts.projection, object_var, &object),
                (Some([only]), Some(o), Slot::Free) if only == o
            );
            if !projects_object {
                return Err(Refusal::Projection);
            }
            Form::Select
        }
        (_, Some(template)) => construct_form(template, &triple.subject, &subject)?,
        _ => Form::Ask,
    };
    let object_of = ObjectOf {
        variable: object_var,
        fixed: match &object {
            Slot::Fixed(term) => Some(term),
            Slot::Free => None,
        },
        free: object == Slot::Free,
    };
    let mut count = None;
    let mut test = None;
    if parts.filters.len() > 1 {
        return Err(Refusal::Conditions);
    }
    if let Some(counted) = &parts.count {
        if let Some(variable) = counted.of {
            if Some(variable) != subject_var && Some(variable) != object_var {
                return Err(Refusal::CountVariable);
            }
        }
    }
    for (expression, above_count) in &parts.filters {
        match (&parts.count, above_count) {
            (Some(counted), true) => {
                count = Some(count_threshold(expression, |v| counted.is_named(v))?);
            }
            (Some(_), false) => return Err(Refusal::Conditions),
            (None, _) => test = Some(object_test(expression, &object_of)?),
        }
    }
    if parts.count.is_some() && count.is_none() {
        return Err(Refusal::Unsupported(
            "a COUNT without a FILTER comparing it",
        ));
    }
    Ok(Reading {
        form,
        subject,
        predicate: predicate.clone(),
        object,
        test,
        count,
    })
}

/// The aggregate a query counts with, and the names it goes by.
struct Counted<'a> {
    /// The aggregate's own variable, and each `SELECT (… AS ?n)` alias of it.
    names: Vec<&'a Variable>,
    /// `COUNT(?x)`'s variable; `None` for `COUNT(*)`.
    of: Option<&'a Variable>,
}

impl Counted<'_> {
    fn is_named(&self, variable: &Variable) -> bool {
        self.names.contains(&variable)
    }
}

/// What the pattern's parts collected, on the way down the algebra.
#[derive(Default)]
struct Parts<'a> {
    triples: Vec<&'a TriplePattern>,
    values: Vec<(&'a Variable, &'a GroundTerm)>,
    /// Each `FILTER` (or `HAVING`), and whether it sits above any count (and so reads it).
    filters: Vec<(&'a Expression, bool)>,
    count: Option<Counted<'a>>,
    /// The outermost projection's variables.
    projection: Option<&'a [Variable]>,
}

impl<'a> Parts<'a> {
    fn walk(&mut self, pattern: &'a GraphPattern, below_count: bool) -> Result<(), Refusal> {
        match pattern {
            GraphPattern::Bgp { patterns } => self.triples.extend(patterns),
            GraphPattern::Join { left, right } => {
                self.walk(left, below_count)?;
                self.walk(right, below_count)?;
            }
            GraphPattern::Filter { expr, inner } => {
                self.filters.push((expr, !below_count));
                self.walk(inner, below_count)?;
            }
            GraphPattern::Values {
                variables,
                bindings,
            } => {
                let [row] = bindings.as_slice() else {
                    return Err(Refusal::Values("with other than one row"));
                };
                for (variable, value) in variables.iter().zip(row) {
                    let Some(value) = value else {
                        return Err(Refusal::Values("with UNDEF"));
                    };
                    self.values.push((variable, value));
                }
            }
            GraphPattern::Project { inner, variables } => {
                self.projection.get_or_insert(variables.as_slice());
                self.walk(inner, below_count)?;
            }
            GraphPattern::Extend {
                inner,
                variable,
                expression: Expression::Variable(aggregate),
            } => {
                self.walk(inner, below_count)?;
                match &mut self.count {
                    Some(counted) if counted.is_named(aggregate) => counted.names.push(variable),
                    _ => return Err(Refusal::Unsupported("BIND (or a SELECT expression)")),
                }
            }
            GraphPattern::Group {
                inner,
                variables,
                aggregates,
            } => {
                if !variables.is_empty() {
                    return Err(Refusal::Unsupported("GROUP BY"));
                }
                if self.count.is_some() {
                    return Err(Refusal::Unsupported("a nested COUNT"));
                }
                let [(name, aggregate)] = aggregates.as_slice() else {
                    return Err(Refusal::Conditions);
                };
                let of = match aggregate {
                    AggregateExpression::CountSolutions { distinct: false } => None,
                    AggregateExpression::FunctionCall {
                        name: AggregateFunction::Count,
                        expr: Expression::Variable(variable),
                        distinct: false,
                    } => Some(variable),
                    AggregateExpression::CountSolutions { distinct: true }
                    | AggregateExpression::FunctionCall {
                        name: AggregateFunction::Count,
                        distinct: true,
                        ..
                    } => return Err(Refusal::CountDistinct),
                    AggregateExpression::FunctionCall { .. } => return Err(Refusal::Aggregate),
                };
                self.count = Some(Counted {
                    names: vec![name],
                    of,
                });
                // Filters below the group are on the pattern's solutions, not on the count.
                self.walk(inner, true)?;
            }
            GraphPattern::Extend { .. } => {
                return Err(Refusal::Unsupported("BIND (or a SELECT expression)"))
            }
            GraphPattern::LeftJoin { .. } => return Err(Refusal::Unsupported("OPTIONAL")),
            GraphPattern::Union { .. } => return Err(Refusal::Unsupported("UNION")),
            GraphPattern::Minus { .. } => return Err(Refusal::Unsupported("MINUS")),
            GraphPattern::Graph { .. } => return Err(Refusal::Unsupported("GRAPH")),
            GraphPattern::Service { .. } => return Err(Refusal::Unsupported("SERVICE")),
            GraphPattern::Path { .. } => return Err(Refusal::Unsupported("a property path")),
            GraphPattern::OrderBy { .. } => return Err(Refusal::Unsupported("ORDER BY")),
            GraphPattern::Distinct { .. } => {
                return Err(Refusal::Unsupported(
                    "DISTINCT (the pipeline reports every matching statement)",
                ))
            }
            GraphPattern::Reduced { .. } => return Err(Refusal::Unsupported("REDUCED")),
            GraphPattern::Slice { .. } => return Err(Refusal::Unsupported("LIMIT or OFFSET")),
        }
        Ok(())
    }

    /// A pattern position: a constant, a variable a `VALUES` row binds, or a free variable.
    fn slot(&self, term: &'a TermPattern) -> Result<(Slot, Option<&'a Variable>), Refusal> {
        match term {
            TermPattern::NamedNode(node) => Ok((Slot::Fixed(node.clone().into()), None)),
            TermPattern::Literal(literal) => Ok((Slot::Fixed(literal.clone().into()), None)),
            TermPattern::BlankNode(_) => Err(Refusal::BlankNode),
            TermPattern::Variable(variable) => {
                let bound = self.values.iter().find(|(v, _)| *v == variable);
                let slot = match bound {
                    Some((_, GroundTerm::NamedNode(node))) => Slot::Fixed(node.clone().into()),
                    Some((_, GroundTerm::Literal(literal))) => Slot::Fixed(literal.clone().into()),
                    None => Slot::Free,
                };
                Ok((slot, Some(variable)))
            }
        }
    }
}

/// `CONSTRUCT { s' <cp> <co> }`: one template triple on the pattern's subject, constant
/// predicate and object.
fn construct_form(
    template: &[TriplePattern],
    pattern_subject: &TermPattern,
    subject: &Slot,
) -> Result<Form, Refusal> {
    let [triple] = template else {
        return Err(Refusal::Template);
    };
    let same_subject = triple.subject == *pattern_subject
        || matches!((&triple.subject, subject), (TermPattern::NamedNode(n), Slot::Fixed(Term::NamedNode(f))) if n == f);
    let object: Option<Term> = match &triple.object {
        TermPattern::NamedNode(node) => Some(node.clone().into()),
        TermPattern::Literal(literal) => Some(literal.clone().into()),
        _ => None,
    };
    match (&triple.predicate, object, same_subject) {
        (NamedNodePattern::NamedNode(predicate), Some(object), true) => Ok(Form::Construct {
            predicate: predicate.clone(),
            object,
        }),
        _ => Err(Refusal::Template),
    }
}

/// What a `FILTER` may say about the object.
struct ObjectOf<'a> {
    /// The object's variable (bound or free).
    variable: Option<&'a Variable>,
    /// The object's constant, when fixed.
    fixed: Option<&'a Term>,
    /// Whether the object is free (a comparison needs a free object).
    free: bool,
}

/// `?o op v` (either way round) or `datatype(?o) = <dt>`.
fn object_test(expression: &Expression, object: &ObjectOf<'_>) -> Result<ObjectTest, Refusal> {
    let refused = || Refusal::Filter {
        expression: expression.to_string(),
    };
    let is_object = |e: &Expression| match e {
        Expression::Variable(v) => object.variable == Some(v),
        Expression::NamedNode(n) => object.fixed == Some(&Term::NamedNode(n.clone())),
        Expression::Literal(l) => object.fixed == Some(&Term::Literal(l.clone())),
        _ => false,
    };
    if let Expression::Equal(left, right) = expression {
        for (call, datatype) in [(left, right), (right, left)] {
            if let (
                Expression::FunctionCall(Function::Datatype, args),
                Expression::NamedNode(iri),
            ) = (&**call, &**datatype)
            {
                if matches!(args.as_slice(), [arg] if is_object(arg)) {
                    return Ok(ObjectTest::Datatype(iri.clone()));
                }
            }
        }
    }
    if matches!(expression, Expression::And(..)) {
        return Err(Refusal::Conditions);
    }
    let Some((comparison, left, right)) = comparison(expression) else {
        return Err(refused());
    };
    let on_object = |e: &Expression| matches!(e, Expression::Variable(v) if object.free && object.variable == Some(v));
    let (comparison, value) = if on_object(left) {
        (comparison, right)
    } else if on_object(right) {
        (flipped(comparison), left)
    } else {
        return Err(refused());
    };
    let literal = constant_literal(value).ok_or_else(refused)?;
    let kind = numeric_kind(literal.datatype().as_str()).ok_or_else(refused)?;
    NumericConstant::new(literal.value(), kind, comparison).ok_or_else(refused)?;
    Ok(ObjectTest::Compare(comparison, literal))
}

/// `?n op j` (either way round) on the count, read as a rule and a non-negative threshold.
fn count_threshold(
    expression: &Expression,
    is_count: impl Fn(&Variable) -> bool,
) -> Result<(CountRule, u64), Refusal> {
    let on_count = |e: &Expression| matches!(e, Expression::Variable(v) if is_count(v));
    let Some((comparison, left, right)) = comparison(expression) else {
        return Err(if matches!(expression, Expression::And(..)) {
            Refusal::Conditions
        } else {
            Refusal::Filter {
                expression: expression.to_string(),
            }
        });
    };
    let (comparison, value) = if on_count(left) {
        (comparison, right)
    } else if on_count(right) {
        (flipped(comparison), left)
    } else {
        return Err(Refusal::Filter {
            expression: expression.to_string(),
        });
    };
    let threshold = |text: String| Refusal::Threshold { threshold: text };
    let literal = constant_literal(value).ok_or_else(|| threshold(value.to_string()))?;
    let j: i128 = match literal.datatype().as_str() {
        XSD_INTEGER => literal.value().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| threshold(literal.value().to_owned()))?;
    let (rule, k) = match comparison {
        Comparison::Ge => (CountRule::AtLeast, Some(j)),
        Comparison::Gt => (CountRule::AtLeast, j.checked_add(1)),
        Comparison::Le => (CountRule::AtMost, Some(j)),
        Comparison::Lt => (CountRule::AtMost, j.checked_sub(1)),
        Comparison::Eq => (CountRule::Exactly, Some(j)),
    };
    // `>= -3` holds for every count, as `>= 0` does; `<= -1` and `= -1` for none.
    let k = match (rule, k) {
        (CountRule::AtLeast, Some(k)) if k < 0 => 0,
        (_, k) => k
            .and_then(|k| u64::try_from(k).ok())
            .ok_or(Refusal::NegativeCount)?,
    };
    Ok((rule, k))
}

/// A comparison's operator and operands.
fn comparison(expression: &Expression) -> Option<(Comparison, &Expression, &Expression)> {
    let (comparison, left, right) = match expression {
        Expression::Equal(l, r) => (Comparison::Eq, l, r),
        Expression::Greater(l, r) => (Comparison::Gt, l, r),
        Expression::GreaterOrEqual(l, r) => (Comparison::Ge, l, r),
        Expression::Less(l, r) => (Comparison::Lt, l, r),
        Expression::LessOrEqual(l, r) => (Comparison::Le, l, r),
        _ => return None,
    };
    Some((comparison, left, right))
}

/// A literal constant, with SPARQL's signed numbers (`-5` parses as minus applied to `5`)
/// folded back into one literal.
fn constant_literal(expression: &Expression) -> Option<Literal> {
    match expression {
        Expression::Literal(literal) => Some(literal.clone()),
        Expression::UnaryPlus(inner) => constant_literal(inner),
        Expression::UnaryMinus(inner) => match &**inner {
            Expression::Literal(literal)
                if numeric_kind(literal.datatype().as_str()).is_some()
                    && !literal.value().starts_with(['+', '-']) =>
            {
                Some(Literal::new_typed_literal(
                    format!("-{}", literal.value()),
                    NamedNode::new_unchecked(literal.datatype().as_str()),
                ))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The comparison with its operands swapped: `v < ?o` is `?o > v`.
fn flipped(comparison: Comparison) -> Comparison {
    match comparison {
        Comparison::Eq => Comparison::Eq,
        Comparison::Gt => Comparison::Lt,
        Comparison::Lt => Comparison::Gt,
        Comparison::Ge => Comparison::Le,
        Comparison::Le => Comparison::Ge,
    }
}

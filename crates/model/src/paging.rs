//! Pagination: `CurrentPage`/`PageSize` in, `Total/PageSize/PageCount/CurrentPage` out.

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::params::{ParamError, Params};

/// Which page of a list to return. Pages are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub current_page: u32,
    pub page_size: u32,
}

impl PageRequest {
    /// The page size when a request gives none.
    pub const DEFAULT_PAGE_SIZE: u32 = 10;

    pub fn new(current_page: u32, page_size: u32) -> Self {
        Self { current_page, page_size }
    }

    /// Reads `CurrentPage` and `PageSize`, where each operation has its own largest page.
    pub fn from_params(params: &Params, max_page_size: u32) -> Result<Self, ParamError> {
        let read = |name: &str, default: u32, max: u32, rule: &str| match params.get(name) {
            None => Ok(default),
            Some(text) => match text.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ParamError::new(codes::INVALID_PAGE_PARAMS, format!("{name} must be {rule}, got '{text}'."))),
            },
        };
        let rule = |max: u32| format!("a whole number from 1 to {max}");
        let default_size = Self::DEFAULT_PAGE_SIZE.min(max_page_size);
        Ok(Self {
            current_page: read("CurrentPage", 1, u32::MAX, &rule(u32::MAX))?,
            page_size: read("PageSize", default_size, max_page_size, &rule(max_page_size))?,
        })
    }

    pub fn to_params(self, params: Params) -> Params {
        params.with("CurrentPage", self.current_page).with("PageSize", self.page_size)
    }

    /// How many rows come before this page.
    pub fn offset(self) -> u64 {
        u64::from(self.current_page.saturating_sub(1)) * u64::from(self.page_size)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(1, Self::DEFAULT_PAGE_SIZE)
    }
}

/// The paging fields of a list response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Page {
    pub total: u64,
    pub page_size: u32,
    pub page_count: u64,
    pub current_page: u32,
}

impl Page {
    /// The page `request` asked for, in a list of `total` rows.
    pub fn new(request: PageRequest, total: u64) -> Self {
        Self {
            total,
            page_size: request.page_size,
            page_count: total.div_ceil(u64::from(request.page_size)),
            current_page: request.current_page,
        }
    }

    /// The 1-based positions of the first and last row on this page, if it has any.
    pub fn row_range(&self) -> Option<(u64, u64)> {
        // Saturating: in the console, a page comes from any backend and may be nonsense.
        let first = u64::from(self.current_page.saturating_sub(1)) * u64::from(self.page_size) + 1;
        (first <= self.total).then(|| (first, (first + u64::from(self.page_size) - 1).min(self.total)))
    }

    /// The last page there is (1 for an empty list, which still shows one page).
    pub fn last_page(&self) -> u32 {
        u32::try_from(self.page_count).unwrap_or(u32::MAX).max(1)
    }

    /// The page numbers to offer around the current one: up to `radius` on each side, shifted
    /// at the ends so that the same number of pages is offered where there are enough.
    pub fn nearby_pages(&self, radius: u32) -> std::ops::RangeInclusive<u32> {
        let last = self.last_page();
        let current = self.current_page.clamp(1, last);
        let width = (2 * radius + 1).min(last);
        let start = current.saturating_sub(radius).max(1).min(last - width + 1);
        start..=start + width - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&str, &str)], max: u32) -> Result<PageRequest, ParamError> {
        PageRequest::from_params(&pairs.iter().copied().collect(), max)
    }

    #[test]
    fn defaults_to_the_first_page_of_ten() {
        assert_eq!(request(&[], 100), Ok(PageRequest::new(1, 10)));
    }

    #[test]
    fn page_size_is_capped_per_operation() {
        assert_eq!(request(&[("PageSize", "200")], 200), Ok(PageRequest::new(1, 200)));
        let err = request(&[("PageSize", "101")], 100).unwrap_err();
        assert_eq!(err.code, "iot.common.InvalidPageParams");
        assert_eq!(err.message, "PageSize must be a whole number from 1 to 100, got '101'.");
    }

    #[test]
    fn pages_start_at_one() {
        let err = request(&[("CurrentPage", "0")], 100).unwrap_err();
        assert_eq!(err.message, "CurrentPage must be a whole number from 1 to 4294967295, got '0'.");
        assert!(request(&[("CurrentPage", "5000000000")], 100).is_err());
        assert!(request(&[("CurrentPage", "-3")], 100).is_err());
    }

    #[test]
    fn page_count_rounds_up_and_rows_are_counted_from_one() {
        let page = Page::new(PageRequest::new(3, 10), 25);
        assert_eq!(page.page_count, 3);
        assert_eq!(page.row_range(), Some((21, 25)));
        assert_eq!(Page::new(PageRequest::new(4, 10), 25).row_range(), None);
        assert_eq!(Page::new(PageRequest::new(1, 10), 0).page_count, 0);
    }

    #[test]
    fn nearby_pages_keep_their_width_at_both_ends() {
        let at = |current, total| Page::new(PageRequest::new(current, 10), total).nearby_pages(2);
        assert_eq!(at(1, 240), 1..=5);
        assert_eq!(at(2, 240), 1..=5);
        assert_eq!(at(12, 240), 10..=14);
        assert_eq!(at(24, 240), 20..=24);
        assert_eq!(at(2, 25), 1..=3);
        assert_eq!(at(1, 0), 1..=1);
    }

    #[test]
    fn nonsense_pages_from_a_backend_do_not_overflow() {
        let page = Page { total: 5, page_size: 10, page_count: u64::MAX, current_page: 0 };
        assert_eq!(page.row_range(), Some((1, 5)));
        assert_eq!(page.nearby_pages(2), 1..=5);
    }
}

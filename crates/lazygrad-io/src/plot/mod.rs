//! Figures: line plots of series such as loss curves, and grids of titled images, as PNG or SVG.
//!
//! Drawing goes through `plotters` with only its bitmap and SVG backends. Its text rendering
//! needs a font registered before the first label is drawn (otherwise every label silently
//! vanishes), so this module embeds DejaVu Sans and registers it once, on first use.

mod grid;

pub use grid::save_image_grid;

use crate::raster::{extension, save_pixels};
use crate::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// The font every figure's text is drawn with: DejaVu Sans 2.37 (licence in `fonts/`).
static FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// The family name the bundled font is registered under, plotters' default family.
const FAMILY: &str = "sans-serif";

/// The size of a line plot in pixels (PNG) or user units (SVG).
const LINE_PLOT_SIZE: (u32, u32) = (960, 600);

/// matplotlib's default colour cycle (`tab10`), so lazygrad plots look like the ones users know.
const COLORS: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// Registers the bundled font with plotters, once per process.
pub(crate) fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            op: "plot",
            message: "internal error: the bundled DejaVu Sans font did not parse".into(),
        })
    }
}

/// The output kind of a figure, from its file's extension.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FigureKind {
    /// A raster image (PNG, JPEG or BMP), drawn into an RGB buffer.
    Raster,
    /// An SVG document.
    Svg,
}

impl FigureKind {
    /// The kind written for `path`; errors on extensions no figure can be written as.
    pub(crate) fn of(path: &Path) -> Result<FigureKind> {
        match extension(path).as_str() {
            "svg" => Ok(FigureKind::Svg),
            "png" | "jpg" | "jpeg" | "bmp" => Ok(FigureKind::Raster),
            other => Err(Error::format(
                path,
                format!("cannot write a figure with extension {other:?}: use .png or .svg"),
            )),
        }
    }
}

/// Draws `figure` at `size` on the backend `path`'s extension asks for and writes the file.
///
/// The [`Figure`] trait lets one generic drawing routine serve both PNG and SVG.
pub(crate) fn render(path: &Path, size: (u32, u32), figure: &dyn Figure) -> Result<()> {
    register_font()?;
    let plot_error =
        |message: String| Error::format(path, format!("cannot draw the figure: {message}"));
    match FigureKind::of(path)? {
        FigureKind::Raster => {
            let len = crate::alloc::checked_size("plot", &[size.0 as usize, size.1 as usize, 3])?;
            let mut pixels = crate::alloc::try_filled("plot", len, 255u8)?;
            {
                let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
                figure.draw_bitmap(&root).map_err(plot_error)?;
                root.present().map_err(|err| plot_error(err.to_string()))?;
            }
            save_pixels(path, size.0 as usize, size.1 as usize, 3, &pixels)
        }
        FigureKind::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
                figure.draw_svg(&root).map_err(plot_error)?;
                root.present().map_err(|err| plot_error(err.to_string()))?;
            }
            crate::atomic::write_bytes(path, text.as_bytes())
        }
    }
}

/// Something drawable on both of plotters' backends.
///
/// plotters' drawing functions are generic over the backend, which a trait object cannot be;
/// implementors write one generic `draw` and forward both methods to it.
pub(crate) trait Figure {
    /// Draws on a bitmap.
    fn draw_bitmap(&self, root: &DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>;
    /// Draws on an SVG document.
    fn draw_svg(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>;
}

/// A line plot: one line per named series, the x axis being the index into the series.
struct LinePlot<'a> {
    title: &'a str,
    series: &'a [(&'a str, &'a [f64])],
}

/// `value * 10^power`, in steps of at most 10^300, so no step overflows or underflows where
/// the result does not (`10f64.powi(-324)` is already 0).
fn times_pow10(value: f64, power: i32) -> f64 {
    let (mut res, mut power) = (value, power);
    while power > 300 {
        res *= 1e300;
        power -= 300;
    }
    while power < -300 {
        res /= 1e300;
        power += 300;
    }
    res * 10f64.powi(power)
}

/// The y axis of a line plot: the values are drawn divided by `10^exponent`, and the range
/// drawn, in those units.
///
/// plotters' tick search loops forever on a range whose width is not finite (padding 1.7e308
/// overflows), and on one narrower than its values' rounding error, so both are ruled out
/// here: very large and very small values are drawn scaled into 1..10 with the power of ten in
/// the tick labels, and the range is at least a billionth of its values' magnitude.
struct YAxis {
    exponent: i32,
    range: std::ops::Range<f64>,
}

impl YAxis {
    /// The axis covering every finite value of `series`, padded so no line sits on the frame.
    fn of(series: &[(&str, &[f64])]) -> YAxis {
        let finite = series
            .iter()
            .flat_map(|(_, ys)| ys.iter())
            .filter(|y| y.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &y| {
            (lo.min(y), hi.max(y))
        });
        if lo > hi {
            // No finite value at all: an empty unit range.
            return YAxis {
                exponent: 0,
                range: 0.0..1.0,
            };
        }
        let magnitude = lo.abs().max(hi.abs());
        // Plain labels for the values plots usually show; a power of ten outside them.
        let exponent = if magnitude == 0.0 || (1e-4..1e6).contains(&magnitude) {
            0
        } else {
            magnitude.log10().floor() as i32
        };
        let (lo, hi) = (times_pow10(lo, -exponent), times_pow10(hi, -exponent));
        // Now |lo| and |hi| are below 1e6 (below 10 when scaled), so nothing below overflows.
        let (lo, hi) = if lo == hi {
            // A constant series still gets a visible band around it.
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            (lo - pad, hi + pad)
        } else {
            let pad = (hi - lo) * 0.05;
            (lo - pad, hi + pad)
        };
        let min_width = lo.abs().max(hi.abs()) * 1e-9;
        let (lo, hi) = if hi - lo < min_width {
            let centre = lo / 2.0 + hi / 2.0;
            (centre - min_width / 2.0, centre + min_width / 2.0)
        } else {
            (lo, hi)
        };
        YAxis {
            exponent,
            range: lo..hi,
        }
    }

    /// Where `y` is drawn, in the axis's units.
    fn to_axis(&self, y: f64) -> f64 {
        times_pow10(y, -self.exponent)
    }

    /// The tick label of `value` in the axis's units: the power of ten is written out when the
    /// values are scaled (`2.5e308`).
    fn label(&self, value: f64) -> String {
        // Rounding to nine decimals hides the float noise of tick positions (0.30000000000000004).
        let value = (value * 1e9).round() / 1e9;
        format!("{value}e{}", self.exponent)
    }
}

impl LinePlot<'_> {
    /// The last step of the longest series: the x range is `0..x_max`.
    fn x_max(&self) -> f64 {
        let len = self
            .series
            .iter()
            .map(|(_, ys)| ys.len())
            .max()
            .unwrap_or(0);
        (len.max(2) - 1) as f64
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
        root.fill(&WHITE).map_err(err)?;
        let x_max = self.x_max();
        let y_axis = YAxis::of(self.series);
        let steps = x_max as usize + 1;
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, (FAMILY, 24))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x_max, y_axis.range.clone())
            .map_err(err)?;
        let y_label = |value: &f64| y_axis.label(*value);
        let mut mesh = chart.configure_mesh();
        if y_axis.exponent != 0 {
            mesh.y_label_formatter(&y_label);
        }
        mesh.x_desc("step")
            // Steps are whole numbers: ask for at most one label per step and print them
            // without the decimals plotters would otherwise add.
            .x_labels(steps.clamp(2, 10))
            .x_label_formatter(&|x| format!("{x}"))
            .label_style((FAMILY, 15))
            .axis_desc_style((FAMILY, 17))
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
        for (idx, (name, ys)) in self.series.iter().enumerate() {
            let color = COLORS[idx % COLORS.len()];
            let style = color.stroke_width(2);
            // Non-finite values (a diverging loss) break the line instead of dragging it off the
            // chart, so each finite run is drawn as its own segment.
            let mut runs = Vec::new();
            let mut run = Vec::new();
            for (step, &y) in ys.iter().enumerate() {
                if y.is_finite() {
                    run.push((step as f64, y_axis.to_axis(y)));
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
            runs.push(run);
            let mut labelled = false;
            for run in runs.into_iter().filter(|run| !run.is_empty()) {
                // A single finite point would draw nothing as a line, so it is drawn as a dot.
                let annotation = if run.len() == 1 {
                    chart
                        .draw_series(
                            run.iter()
                                .map(|&point| Circle::new(point, 3, style.filled())),
                        )
                        .map_err(err)?
                } else {
                    chart
                        .draw_series(LineSeries::new(run, style))
                        .map_err(err)?
                };
                if !labelled && !name.is_empty() {
                    annotation.label(*name).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(2))
                    });
                    labelled = true;
                }
            }
        }
        if self.series.iter().any(|(name, _)| !name.is_empty()) {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font((FAMILY, 16))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(200, 200, 200))
                .draw()
                .map_err(err)?;
        }
        Ok(())
    }
}

impl Figure for LinePlot<'_> {
    fn draw_bitmap(&self, root: &DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String> {
        self.draw(root)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String> {
        self.draw(root)
    }
}

/// Saves a line plot of each named series against its index, as PNG or SVG by `path`'s extension.
///
/// Series may differ in length; non-finite values leave a gap in their line. Series with an
/// empty name are left out of the legend.
///
/// ```
/// let dir = std::env::temp_dir();
/// let loss = [2.0, 1.2, 0.8, 0.5, 0.4];
/// let val = [2.1, 1.4, 1.0, 0.8, 0.75];
/// let series: &[(&str, &[f64])] = &[("train", &loss), ("validation", &val)];
/// lazygrad_io::plot::save_line_plot(&dir.join("lazygrad_doc_loss.svg"), "loss", series)?;
/// lazygrad_io::plot::save_line_plot(&dir.join("lazygrad_doc_loss.png"), "loss", series)?;
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn save_line_plot(
    path: impl AsRef<Path>,
    title: &str,
    series: &[(&str, &[f64])],
) -> Result<()> {
    render(path.as_ref(), LINE_PLOT_SIZE, &LinePlot { title, series })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join("lazygrad-io-plot-tests");
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn svg_has_the_title_legend_and_tick_labels_as_text() {
        let path = temp_path("labels.svg");
        let loss: Vec<f64> = (0..50).map(|step| 1.0 / (1.0 + step as f64)).collect();
        save_line_plot(&path, "training loss", &[("train", &loss)]).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        // plotters writes each text on its own line between the tags.
        assert!(svg.contains("\ntraining loss\n"), "title missing");
        assert!(svg.contains("\ntrain\n"), "legend missing");
        assert!(svg.contains("\nstep\n"), "axis label missing");
        assert!(svg.contains("<polyline"), "line missing");
    }

    #[test]
    fn png_has_dark_text_pixels_in_the_title_area() {
        let path = temp_path("labels.png");
        save_line_plot(
            &path,
            "loss",
            &[("a", &[3.0, 2.0, 1.5]), ("b", &[1.0, f64::NAN, 2.0])],
        )
        .unwrap();
        let img = image::open(&path).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), LINE_PLOT_SIZE);
        // Without a registered font plotters draws no text at all; the caption is black text
        // centred in the top margin, so some dark pixels must be there.
        let dark = (0..40)
            .flat_map(|y| (300..660).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 100))
            .count();
        assert!(dark > 20, "no title text drawn ({dark} dark pixels)");
    }

    #[test]
    fn degenerate_series_still_plot() {
        let path = temp_path("degenerate.png");
        save_line_plot(&path, "", &[]).unwrap();
        save_line_plot(&path, "flat", &[("c", &[5.0; 4])]).unwrap();
        save_line_plot(&path, "one", &[("c", &[5.0])]).unwrap();
        save_line_plot(&path, "nan", &[("c", &[f64::NAN, f64::INFINITY])]).unwrap();
    }

    /// Runs `plot` on a thread of its own and fails if it takes more than two minutes: a plot
    /// that loops forever fails the test instead of hanging the test run.
    fn finishes(what: String, plot: impl FnOnce() -> Result<()> + Send + 'static) {
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(plot());
        });
        match result.recv_timeout(std::time::Duration::from_secs(120)) {
            Ok(res) => res.unwrap_or_else(|err| panic!("{what}: {err}")),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("{what}: still drawing after two minutes")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
        }
    }

    /// Series at the edges of what a float holds: huge, tiny, subnormal, constant, single
    /// points, empty, and with non-finite values mixed in.
    fn extreme_series() -> Vec<Vec<f64>> {
        let (max, tiny) = (f64::MAX, 5e-324);
        vec![
            vec![1.0, 10.0, 1.7e308],
            vec![max, -max],
            vec![-max, max, 0.0, 1.0],
            vec![max; 3],
            vec![-max],
            vec![tiny],
            vec![tiny, 2.0 * tiny, 0.0],
            vec![f64::MIN_POSITIVE, tiny],
            vec![1.0, 1.0 + f64::EPSILON],
            vec![1e20, 1e20 + 16384.0],
            vec![-1e-300, 1e-300],
            vec![0.0; 5],
            vec![3.5],
            vec![],
            vec![
                f64::NAN,
                f64::INFINITY,
                1.0,
                f64::NEG_INFINITY,
                2.0,
                f64::NAN,
            ],
            vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY],
            vec![max, f64::INFINITY, -max, f64::NAN],
        ]
    }

    #[test]
    fn any_finite_data_plots_and_finishes() {
        for (idx, ys) in extreme_series().into_iter().enumerate() {
            for ext in ["svg", "png"] {
                let path = temp_path(&format!("extreme_{idx}.{ext}"));
                let ys = ys.clone();
                let what = format!("{ys:?} as .{ext}");
                finishes(what, move || {
                    save_line_plot(&path, "extreme", &[("s", &ys)])
                });
            }
        }
        // Several series, one of them empty, and no series at all.
        finishes("several series".into(), || {
            let path = temp_path("extreme_several.svg");
            save_line_plot(
                &path,
                "",
                &[("a", &[1e300, -1e300]), ("b", &[]), ("", &[1e-300])],
            )
        });
        finishes("no series".into(), || {
            save_line_plot(temp_path("extreme_none.png"), "", &[])
        });
    }

    #[test]
    fn the_y_axis_is_finite_wide_enough_and_holds_every_finite_value() {
        for ys in extreme_series() {
            let axis = YAxis::of(&[("s", &ys)]);
            let (lo, hi) = (axis.range.start, axis.range.end);
            assert!(
                lo.is_finite() && hi.is_finite() && lo < hi,
                "{ys:?}: {lo}..{hi}"
            );
            // Within rounding of the billionth the axis guarantees.
            let magnitude = lo.abs().max(hi.abs());
            assert!(
                hi - lo >= magnitude * 0.9e-9,
                "{ys:?}: {lo}..{hi} too narrow"
            );
            // plotters' tick search needs coordinates of moderate size.
            assert!(magnitude < 1e7, "{ys:?}: {lo}..{hi} not scaled");
            for &y in ys.iter().filter(|y| y.is_finite()) {
                let drawn = axis.to_axis(y);
                assert!(
                    lo <= drawn && drawn <= hi,
                    "{ys:?}: {y} drawn at {drawn}, off {lo}..{hi}"
                );
            }
        }
    }

    #[test]
    fn scaled_values_are_labelled_with_their_power_of_ten() {
        let path = temp_path("scaled.svg");
        save_line_plot(&path, "t", &[("s", &[1.0, 10.0, 1.7e308])]).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.contains("e308\n"), "no label in units of 1e308");
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "a non-finite label"
        );
        // Ordinary values keep plain labels.
        save_line_plot(&path, "t", &[("s", &[0.5, 2.0])]).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(
            svg.contains("\n1.0\n") && !svg.contains("e0\n"),
            "plain labels changed"
        );
        assert!((times_pow10(5e-324, 324) - 4.940656458412465).abs() < 1e-14);
        assert!((times_pow10(f64::MAX, -308) - 1.7976931348623157).abs() < 1e-14);
    }

    #[test]
    fn unknown_extension_is_an_error_naming_the_file() {
        let err = save_line_plot(temp_path("plot.gif"), "t", &[("a", &[1.0])]).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("plot.gif") && message.contains(".svg"),
            "{message}"
        );
    }

    #[test]
    fn unwritable_path_is_an_io_error_naming_the_file() {
        let path = temp_path("no/such/dir/plot.svg");
        let err = save_line_plot(&path, "t", &[("a", &[1.0, 2.0])]).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("no/such/dir/plot.svg"), "{err}");
    }
}

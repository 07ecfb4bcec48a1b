//! Layers and the [`Module`] trait that optimizers train.

use crate::random::Generator;
use crate::{DType, Tensor};

/// A model: a forward function and the tensors an optimizer may update.
///
/// Tensors are immutable, so training rebinds parameters: `parameters` hands out `&mut` slots
/// in a fixed order, and an optimizer replaces what is in them. `named_parameters` hands out
/// the same slots with stable names, PyTorch's `"0.weight"` or `"hidden.bias"`, which is what
/// [`save_parameters`](super::save_parameters) and [`load_parameters`](super::load_parameters)
/// key a checkpoint by. A model made of layers lists theirs, and names them with [`prefixed`]:
///
/// ```
/// use lazygrad::nn::{self, Linear, Module};
/// use lazygrad::Tensor;
///
/// struct Mlp { hidden: Linear, out: Linear }
///
/// impl Module for Mlp {
///     fn forward(&self, x: &Tensor) -> Tensor {
///         self.out.forward(&self.hidden.forward(x).relu())
///     }
///     fn parameters(&mut self) -> Vec<&mut Tensor> {
///         let mut params = self.hidden.parameters();
///         params.extend(self.out.parameters());
///         params
///     }
///     fn named_parameters(&mut self) -> Vec<(String, &mut Tensor)> {
///         let mut params = nn::prefixed("hidden", self.hidden.named_parameters());
///         params.extend(nn::prefixed("out", self.out.named_parameters()));
///         params
///     }
/// }
///
/// let mut rng = lazygrad::random::Generator::new(0);
/// let mut mlp = Mlp { hidden: Linear::new(4, 8, &mut rng), out: Linear::new(8, 2, &mut rng) };
/// assert_eq!(mlp.forward(&rng.randn([5, 4])).shape(), &[5, 2]);
/// assert_eq!(mlp.parameters().len(), 4);
/// let names: Vec<String> = mlp.named_parameters().into_iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]);
/// ```
pub trait Module {
    /// The model applied to a batch.
    fn forward(&self, x: &Tensor) -> Tensor;

    /// The trainable tensors, in a fixed order (optimizers key their state by position).
    fn parameters(&mut self) -> Vec<&mut Tensor>;

    /// The trainable tensors with unique, stable names, in the order of [`Module::parameters`].
    ///
    /// The default names them by position, `"0"`, `"1"`, ...; layers override it with their
    /// field names (`"weight"`, `"bias"`), and containers prefix their children's names with
    /// the child's index or field name and a dot ([`prefixed`]), as PyTorch's `state_dict` does.
    fn named_parameters(&mut self) -> Vec<(String, &mut Tensor)> {
        self.parameters()
            .into_iter()
            .enumerate()
            .map(|(idx, param)| (idx.to_string(), param))
            .collect()
    }
}

/// Names `params` as children of `prefix`: `"weight"` becomes `"prefix.weight"`.
///
/// ```
/// use lazygrad::nn::{self, Linear, Module};
/// let mut layer = Linear::new(2, 3, &mut lazygrad::random::Generator::new(0));
/// let named = nn::prefixed("encoder", layer.named_parameters());
/// assert_eq!(named[1].0, "encoder.bias");
/// ```
pub fn prefixed<'a>(
    prefix: &str,
    params: Vec<(String, &'a mut Tensor)>,
) -> Vec<(String, &'a mut Tensor)> {
    params
        .into_iter()
        .map(|(name, param)| (format!("{prefix}.{name}"), param))
        .collect()
}

/// A fully connected layer `y = x @ weight + bias`, with `weight` of shape `(in, out)`.
#[derive(Clone, Debug)]
pub struct Linear {
    /// The `(in, out)` weight matrix.
    pub weight: Tensor,
    /// The `(out,)` bias, if the layer has one.
    pub bias: Option<Tensor>,
}

impl Linear {
    /// A float64 layer with PyTorch's default initialization: weight and bias uniform in
    /// `[-1/sqrt(in), 1/sqrt(in))`.
    #[track_caller]
    pub fn new(inputs: usize, outputs: usize, rng: &mut Generator) -> Linear {
        Linear::with_dtype(inputs, outputs, DType::F64, rng)
    }

    /// [`Linear::new`] in another float dtype.
    #[track_caller]
    pub fn with_dtype(inputs: usize, outputs: usize, dtype: DType, rng: &mut Generator) -> Linear {
        let bound = 1.0 / (inputs as f64).sqrt();
        let weight = super::init::uniform(rng, [inputs, outputs], -bound, bound, dtype);
        let bias = super::init::uniform(rng, [outputs], -bound, bound, dtype);
        Linear {
            weight,
            bias: Some(bias),
        }
    }

    /// A layer with the given weight and optional bias.
    pub fn from_weights(weight: Tensor, bias: Option<Tensor>) -> Linear {
        Linear { weight, bias }
    }
}

impl Module for Linear {
    fn forward(&self, x: &Tensor) -> Tensor {
        let y = x.matmul(&self.weight);
        match &self.bias {
            Some(bias) => &y + bias,
            None => y,
        }
    }

    fn parameters(&mut self) -> Vec<&mut Tensor> {
        let mut params = vec![&mut self.weight];
        params.extend(self.bias.as_mut());
        params
    }

    fn named_parameters(&mut self) -> Vec<(String, &mut Tensor)> {
        let mut params = vec![("weight".to_string(), &mut self.weight)];
        params.extend(self.bias.as_mut().map(|bias| ("bias".to_string(), bias)));
        params
    }
}

/// An elementwise activation as a layer of a [`Sequential`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// [`Tensor::relu`].
    Relu,
    /// [`Tensor::tanh`].
    Tanh,
    /// [`Tensor::sigmoid`].
    Sigmoid,
}

impl Module for Activation {
    fn forward(&self, x: &Tensor) -> Tensor {
        match self {
            Activation::Relu => x.relu(),
            Activation::Tanh => x.tanh(),
            Activation::Sigmoid => x.sigmoid(),
        }
    }

    fn parameters(&mut self) -> Vec<&mut Tensor> {
        Vec::new()
    }
}

/// Layers applied in order; their parameters are named by the layer's index, as in PyTorch's
/// `nn.Sequential` (`"0.weight"`, `"2.bias"`: layers without parameters keep their index).
///
/// ```
/// use lazygrad::nn::{Activation, Linear, Module, Sequential};
/// let mut rng = lazygrad::random::Generator::new(0);
/// let mut mlp = Sequential::new()
///     .push(Linear::new(64, 32, &mut rng))
///     .push(Activation::Relu)
///     .push(Linear::new(32, 10, &mut rng));
/// assert_eq!(mlp.forward(&rng.randn([8, 64])).shape(), &[8, 10]);
/// assert_eq!(mlp.parameters().len(), 4);
/// let names: Vec<String> = mlp.named_parameters().into_iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
/// ```
#[derive(Default)]
pub struct Sequential {
    layers: Vec<Box<dyn Module + Send + Sync>>,
}

impl Sequential {
    /// No layers yet.
    pub fn new() -> Sequential {
        Sequential::default()
    }

    /// The model with `layer` appended.
    pub fn push(mut self, layer: impl Module + Send + Sync + 'static) -> Sequential {
        self.layers.push(Box::new(layer));
        self
    }
}

impl Module for Sequential {
    fn forward(&self, x: &Tensor) -> Tensor {
        self.layers
            .iter()
            .fold(x.clone(), |acc, layer| layer.forward(&acc))
    }

    fn parameters(&mut self) -> Vec<&mut Tensor> {
        self.layers
            .iter_mut()
            .flat_map(|layer| layer.parameters())
            .collect()
    }

    fn named_parameters(&mut self) -> Vec<(String, &mut Tensor)> {
        self.layers
            .iter_mut()
            .enumerate()
            .flat_map(|(idx, layer)| prefixed(&idx.to_string(), layer.named_parameters()))
            .collect()
    }
}
